#include "wallet/spend_render.h"

#include <algorithm>
#include <vector>

#include "util/amount.h"
#include "util/json_writer.h"
#include "util/text.h"
#include "util/utc_time.h"
#include "wallet/history_render.h"

namespace mpp::wallet {

namespace {

constexpr std::size_t kKeyBytes = 80;

std::string TokenAmount(const U256& base_units, const TokenKey& token) {
  return FormatTokenAmount(base_units, TokenDecimals(token));
}

std::string OptionalAmount(const std::optional<U256>& base_units, const TokenKey& token) {
  return base_units ? TokenAmount(*base_units, token) : "-";
}

// One section of the text table: a title, a header, rows with columns padded to their widest cell.
class TextTable {
 public:
  void Add(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void Render(std::string& out, std::string_view title) const {
    static const std::vector<std::string> kHeader{"",     "token", "calls",    "charged",
                                                  "fees", "total", "avg/call", "per 1k tokens"};
    std::vector<std::size_t> widths(kHeader.size(), 0);
    for (const auto* row : Rows(kHeader)) {
      for (std::size_t i = 0; i < row->size(); ++i) widths[i] = std::max(widths[i], (*row)[i].size());
    }
    out += title;
    out += '\n';
    for (const auto* row : Rows(kHeader)) {
      std::string line = " ";
      for (std::size_t i = 0; i < row->size(); ++i) {
        const std::string& cell = (*row)[i];
        const std::string pad(widths[i] - cell.size(), ' ');
        line += ' ';
        line += i < 2 ? cell + pad : pad + cell;  // text left, numbers right
      }
      while (line.ends_with(' ')) line.pop_back();
      out += line + '\n';
    }
  }

 private:
  std::vector<const std::vector<std::string>*> Rows(const std::vector<std::string>& header) const {
    std::vector<const std::vector<std::string>*> all{&header};
    for (const auto& row : rows_) all.push_back(&row);
    return all;
  }
  std::vector<std::vector<std::string>> rows_;
};

std::vector<std::string> TextRow(const std::string& key, const TokenKey& token, const SpendRow& row) {
  return {DisplayText(key, kKeyBytes),
          HistoryTokenLabel(token),
          std::to_string(row.calls),
          TokenAmount(row.charged, token),
          TokenAmount(row.fees, token),
          TokenAmount(SpendTotal(row), token),
          OptionalAmount(AveragePerCall(row), token),
          OptionalAmount(CostPer1kTokens(row), token)};
}

std::string PeriodText(const SpendPeriod& period) {
  return "Spend from " +
         (period.since ? FormatUtcTimestamp(*period.since) : std::string("the first payment")) + " to " +
         (period.until ? FormatUtcTimestamp(*period.until) : std::string("now")) +
         " (settled payments; amounts in token units)\n";
}

const char* SectionTitle(SpendGroup group) {
  switch (group) {
    case SpendGroup::kDay:
      return "By day (UTC):";
    case SpendGroup::kService:
      return "By service:";
    case SpendGroup::kModel:
      return "By model:";
    case SpendGroup::kConversation:
      return "By conversation:";
    case SpendGroup::kTemplate:
      return "By template:";
  }
  return "";
}

std::string NotCountedText(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " payment was" : " payments were") +
         " not counted: refused, failed, pending or of unknown outcome ('mpp wallet history' lists them; "
         "'mpp wallet reconcile' settles the unknown)\n";
}

using json::Writer;

void WriteRow(Writer& writer, const std::string* key, const TokenKey& token, const SpendRow& row) {
  writer.StartObject();
  if (key != nullptr) json::WriteField(writer, "key", *key);
  writer.Key("chain_id");
  writer.Uint64(token.chain_id);
  json::WriteField(writer, "currency", token.currency);
  json::WriteField(writer, "token", HistoryTokenLabel(token));
  writer.Key("decimals");
  writer.Int(TokenDecimals(token));
  writer.Key("calls");
  writer.Uint64(row.calls);
  json::WriteField(writer, "charged", row.charged.ToDecimal());
  json::WriteField(writer, "fees", row.fees.ToDecimal());
  json::WriteField(writer, "total", SpendTotal(row).ToDecimal());
  json::WriteField(writer, "avg_per_call", AveragePerCall(row).value_or(U256()).ToDecimal());
  writer.Key("per_1k_tokens");
  if (auto per_1k = CostPer1kTokens(row)) {
    writer.String(per_1k->ToDecimal().c_str());
  } else {
    writer.Null();
  }
  writer.Key("tokens");
  writer.Int64(row.tokens);
  writer.Key("calls_with_usage");
  writer.Uint64(row.calls_with_usage);
  writer.EndObject();
}

void WriteRows(Writer& writer, const char* name, const SpendRowsByToken& rows) {
  writer.Key(name);
  writer.StartArray();
  for (const auto& [token, row] : rows) WriteRow(writer, nullptr, token, row);
  writer.EndArray();
}

void WritePeriodBound(Writer& writer, const char* name, const std::optional<std::int64_t>& bound) {
  writer.Key(name);
  if (bound) {
    writer.String(FormatUtcTimestamp(*bound).c_str());
  } else {
    writer.Null();
  }
}

void WriteUndelivered(Writer& writer, const Payment& payment) {
  const JournalRecord& r = payment.signed_record;
  writer.StartObject();
  json::WriteField(writer, "id", r.payment_id);
  json::WriteField(writer, "time", FormatUtcTimestamp(r.time));
  json::WriteField(writer, "service", ServiceName(r));
  for (SpendGroup group : {SpendGroup::kModel, SpendGroup::kConversation, SpendGroup::kTemplate})
    json::WriteField(writer, std::string(SpendGroupName(group)).c_str(), SpendKey(group, payment));
  writer.Key("chain_id");
  writer.Uint64(r.chain_id);
  json::WriteField(writer, "currency", r.currency);
  json::WriteField(writer, "amount", r.amount.ToDecimal());
  json::WriteField(writer, "fee", CountedFee(payment).ToDecimal());
  json::WriteField(writer, "detail", payment.outcome_detail);
  if (!payment.service_payment_id.empty()) json::WriteField(writer, "paymentId", payment.service_payment_id);
  writer.EndObject();
}

void CsvRow(std::string& out, std::string_view group, const std::string& key, const TokenKey& token,
            const SpendRow& row) {
  const std::optional<U256> per_1k = CostPer1kTokens(row);
  const std::vector<std::string> cells{std::string(group),
                                       key,
                                       HistoryTokenLabel(token),
                                       std::to_string(token.chain_id),
                                       token.currency,
                                       std::to_string(row.calls),
                                       TokenAmount(row.charged, token),
                                       TokenAmount(row.fees, token),
                                       TokenAmount(SpendTotal(row), token),
                                       TokenAmount(AveragePerCall(row).value_or(U256()), token),
                                       per_1k ? TokenAmount(*per_1k, token) : std::string(),
                                       std::to_string(row.tokens)};
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(cells[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string CsvField(std::string_view text) {
  std::string field = DisplayText(text, kKeyBytes * 2);
  if (!field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos) {
    // A negative number never occurs here, so a leading '-' is text, not arithmetic.
    field.insert(field.begin(), '\'');
  }
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string RenderSpendText(const SpendReport& report, const SpendPeriod& period) {
  std::string out = PeriodText(period);
  if (report.total.empty()) {
    out += "no settled payments\n";
  } else {
    TextTable total;
    for (const auto& [token, row] : report.total) total.Add(TextRow("all", token, row));
    total.Render(out, "Total:");
    for (std::size_t i = 0; i < kSpendGroups.size(); ++i) {
      TextTable table;
      for (const auto& [key, by_token] : report.groups[i]) {
        for (const auto& [token, row] : by_token) table.Add(TextRow(key, token, row));
      }
      out += '\n';
      table.Render(out, SectionTitle(kSpendGroups[i]));
    }
  }
  if (!report.undelivered.empty()) {
    out += "\nUndelivered (paid, but the service answered an error; not in the totals above):\n";
    for (const Payment& payment : report.undelivered) {
      const JournalRecord& r = payment.signed_record;
      const TokenKey token{r.chain_id, r.currency};
      out += "  " + FormatUtcTimestamp(r.time) + "  " + DisplayText(ServiceName(r), kKeyBytes) + "  " +
             TokenAmount(r.amount, token) + " " + HistoryTokenLabel(token) + "  fee " +
             TokenAmount(CountedFee(payment), token) + "  model " +
             DisplayText(SpendKey(SpendGroup::kModel, payment), kKeyBytes) + "  (" +
             DisplayText(payment.outcome_detail, 200) + ")\n";
    }
    TextTable table;
    for (const auto& [token, row] : report.undelivered_total) table.Add(TextRow("undelivered", token, row));
    table.Render(out, "Undelivered total:");
  }
  if (report.not_counted > 0) out += '\n' + NotCountedText(report.not_counted);
  return out;
}

std::string RenderSpendJson(const SpendReport& report, const SpendPeriod& period) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  WritePeriodBound(writer, "since", period.since);
  WritePeriodBound(writer, "until", period.until);
  WriteRows(writer, "total", report.total);
  for (std::size_t i = 0; i < kSpendGroups.size(); ++i) {
    writer.Key(("by_" + std::string(SpendGroupName(kSpendGroups[i]))).c_str());
    writer.StartArray();
    for (const auto& [key, by_token] : report.groups[i]) {
      for (const auto& [token, row] : by_token) WriteRow(writer, &key, token, row);
    }
    writer.EndArray();
  }
  writer.Key("undelivered");
  writer.StartObject();
  writer.Key("payments");
  writer.StartArray();
  for (const Payment& payment : report.undelivered) WriteUndelivered(writer, payment);
  writer.EndArray();
  WriteRows(writer, "total", report.undelivered_total);
  writer.EndObject();
  writer.Key("not_counted");
  writer.Uint64(report.not_counted);
  writer.EndObject();
  return json::BufferText(buffer) + "\n";
}

std::string RenderSpendCsv(const SpendReport& report) {
  std::string out =
      "group,key,token,chain_id,currency,calls,charged,fees,total,avg_per_call,per_1k_tokens,tokens\r\n";
  for (const auto& [token, row] : report.total) CsvRow(out, "total", "all", token, row);
  for (std::size_t i = 0; i < kSpendGroups.size(); ++i) {
    for (const auto& [key, by_token] : report.groups[i]) {
      for (const auto& [token, row] : by_token) CsvRow(out, SpendGroupName(kSpendGroups[i]), key, token, row);
    }
  }
  for (const auto& [token, row] : report.undelivered_total) CsvRow(out, "undelivered", "all", token, row);
  return out;
}

}  // namespace mpp::wallet
