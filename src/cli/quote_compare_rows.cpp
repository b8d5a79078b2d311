#include "cli/quote_compare_rows.h"

#include <algorithm>

#include "cli/quote_fields.h"
#include "util/amount.h"
#include "util/json_writer.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

std::optional<std::string> VerdictToken(const protocol::ChallengeVerdict& verdict) {
  if (verdict.charge) return TokenSymbol(verdict.charge->request.currency, verdict.charge->request.chain_id);
  if (verdict.session) return TokenSymbol(verdict.session->request.currency, verdict.session->chain_id);
  return std::nullopt;
}

// The verdict a compare row describes: the chosen one, else the first priced in a token mpp knows
// (its refusal is the interesting one: a cap, not an exotic token), else the first priced at all.
const protocol::ChallengeVerdict* PricedVerdict(const QuoteReport& report) {
  if (report.chosen) return &report.verdicts[*report.chosen];
  const protocol::ChallengeVerdict* first = nullptr;
  for (const auto& verdict : report.verdicts) {
    if (!verdict.charge && !verdict.session) continue;
    if (VerdictToken(verdict)) return &verdict;
    if (first == nullptr) first = &verdict;
  }
  return first;
}

std::string TokenText(const CompareRow& row) {
  if (auto symbol = TokenSymbol(row.currency, row.chain_id)) return *symbol;
  return row.currency.ToChecksumHex();
}

std::string PriceText(const CompareRow& row) {
  if (!row.price) return "-";
  std::string text = FormatTokenAmount(*row.price);
  if (!row.unit.empty()) text += "/" + DisplayText(row.unit, 20);
  return text;
}

std::string FeeText(const CompareRow& row) {
  if (row.free || row.sponsored) return row.free ? "0" : "0 (sponsored)";
  if (!row.fee) return "?";
  return "up to " + FormatTokenAmount(*row.fee);
}

std::string FitsText(const CompareRow& row) {
  if (!row.error.empty()) return "error";
  return row.fits ? "yes" : "no";
}

void Pad(std::string& out, const std::string& cell, std::size_t width, bool last) {
  out += cell;
  if (!last) out.append(width > cell.size() ? width - cell.size() + 2 : 2, ' ');
}

}  // namespace

CompareRow ErrorRow(const std::string& service, const std::string& model, const std::string& url,
                    const std::string& error) {
  CompareRow row;
  row.service = service;
  row.model = model;
  row.url = url;
  row.error = error;
  return row;
}

CompareRow RowFromReport(const std::string& service, const std::string& model, const QuoteReport& report,
                         const std::string& why_no_price) {
  CompareRow row;
  row.service = service;
  row.model = model;
  row.url = report.url;
  if (report.status >= 200 && report.status < 300) {
    row.free = true;
    row.price = U256();
    row.fee = U256();
    row.fits = true;
    return row;
  }
  const protocol::ChallengeVerdict* verdict = PricedVerdict(report);
  if (verdict == nullptr) {
    row.error = why_no_price.empty() ? "the 402 carried no usable Payment challenge" : why_no_price;
    return row;
  }
  row.intent = verdict->challenge.intent;
  if (verdict->charge) {
    const protocol::ChargeRequest& r = verdict->charge->request;
    row.price = r.amount;
    row.currency = r.currency;
    row.chain_id = r.chain_id;
    row.sponsored = r.fee_payer;
  } else {
    const protocol::SessionRequest& r = verdict->session->request;
    row.price = r.amount;
    row.unit = r.unit_type;
    row.currency = r.currency;
    row.chain_id = verdict->session->chain_id;
    row.sponsored = r.fee_payer;
  }
  const bool chosen = report.chosen.has_value();
  if (chosen && report.fee) {
    row.sponsored = !report.fee->self_paid;
    row.fee = report.fee->max_fee;
  }
  if (row.sponsored) row.fee = U256();
  row.fits = chosen && ChosenRefusal(report).empty();
  if (!row.fits) {
    row.why_not = chosen ? ChosenRefusal(report) : verdict->reason;
    if (row.why_not.empty()) row.why_not = why_no_price;
  }
  return row;
}

std::optional<U256> RowTotal(const CompareRow& row) {
  if (!row.price) return std::nullopt;
  return U256::SaturatingAdd(*row.price, row.fee.value_or(U256()));
}

void SortRows(std::vector<CompareRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const CompareRow& a, const CompareRow& b) {
    const std::optional<U256> ta = RowTotal(a);
    const std::optional<U256> tb = RowTotal(b);
    if (ta.has_value() != tb.has_value()) return ta.has_value();
    if (!ta) return false;
    if (*ta != *tb) return *ta < *tb;
    return a.fits && !b.fits;
  });
}

const CompareRow* CheapestFitting(const std::vector<CompareRow>& rows) {
  for (const auto& row : rows) {
    if (row.fits) return &row;
  }
  return nullptr;
}

std::string RenderCompareText(const std::vector<CompareRow>& rows) {
  const std::vector<std::string> header{"SERVICE", "MODEL",  "PRICE", "FEE",
                                        "TOTAL",   "INTENT", "TOKEN", "FITS"};
  std::vector<std::vector<std::string>> cells{header};
  for (const auto& row : rows) {
    const std::optional<U256> total = RowTotal(row);
    std::string total_text = total ? FormatTokenAmount(*total) : "-";
    if (total && !row.fee && !row.free) total_text += " + fee";
    const bool priced = row.error.empty();
    cells.push_back({DisplayText(row.service, 64), row.model.empty() ? "-" : DisplayText(row.model, 80),
                     PriceText(row), priced ? FeeText(row) : "-", total_text,
                     row.free ? "free" : (row.intent.empty() ? "-" : DisplayText(row.intent, 20)),
                     priced && !row.free ? TokenText(row) : "-", FitsText(row)});
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& line : cells) {
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  std::string out;
  for (const auto& line : cells) {
    for (std::size_t i = 0; i < line.size(); ++i) Pad(out, line[i], widths[i], i + 1 == line.size());
    out += "\n";
  }
  for (const auto& row : rows) {
    const std::string& why = row.error.empty() ? row.why_not : row.error;
    if (why.empty()) continue;
    out += DisplayText(row.service, 64) + (row.model.empty() ? "" : " " + DisplayText(row.model, 80)) + ": " +
           DisplayText(why, 300) + "\n";
  }
  return out;
}

std::string RenderCompareJson(const std::vector<CompareRow>& rows) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  auto amount = [&w](const char* key, const std::string& base_key, const std::optional<U256>& value) {
    json::WriteOptionalField(w, key, value ? std::optional(FormatTokenAmount(*value)) : std::nullopt);
    json::WriteOptionalField(w, base_key, value ? std::optional(value->ToDecimal()) : std::nullopt);
  };
  auto optional_text = [](const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
  };
  w.StartObject();
  w.Key("rows");
  w.StartArray();
  for (const auto& row : rows) {
    const bool priced = row.error.empty() && !row.free;
    w.StartObject();
    json::WriteField(w, "service", row.service);
    json::WriteOptionalField(w, "model", optional_text(row.model));
    json::WriteField(w, "url", row.url);
    w.Key("free");
    w.Bool(row.free);
    amount("price", "price_base_units", row.price);
    amount("fee", "fee_base_units", row.fee);
    w.Key("sponsored");
    w.Bool(row.sponsored);
    amount("total", "total_base_units", row.fee || row.free ? RowTotal(row) : std::nullopt);
    json::WriteOptionalField(w, "intent", optional_text(row.intent));
    json::WriteOptionalField(w, "unit", optional_text(row.unit));
    json::WriteOptionalField(w, "currency",
                             priced ? std::optional(row.currency.ToChecksumHex()) : std::nullopt);
    json::WriteOptionalField(w, "token", priced ? TokenSymbol(row.currency, row.chain_id) : std::nullopt);
    w.Key("chain_id");
    if (priced) {
      w.Uint64(row.chain_id);
    } else {
      w.Null();
    }
    w.Key("fits");
    w.Bool(row.fits);
    json::WriteOptionalField(w, "reason", optional_text(row.why_not));
    json::WriteOptionalField(w, "error", optional_text(row.error));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json::BufferText(buffer) + "\n";
}

}  // namespace mpp::cli
