// RenderBatchQuoteText and RenderBatchQuoteJson (declared in quote_batch.h).

#include "cli/quote_batch.h"
#include "util/amount.h"
#include "util/json_writer.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

using json::Writer;

std::string PadBatchCell(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string BatchTokenText(const BatchQuoteLine& line) {
  if (!line.token.empty()) return line.token;
  return line.currency;
}

void WriteBatchAmount(Writer& w, std::string_view key, const U256& amount) {
  json::WriteField(w, key, FormatTokenAmount(amount));
  json::WriteField(w, std::string(key) + "_base_units", amount.ToDecimal());
}

}  // namespace

std::string RenderBatchQuoteText(const std::vector<BatchQuoteLine>& lines, const BatchQuoteSummary& summary) {
  std::string out = "LINE  PRICE         FEE MAX       WORST CASE    TOKEN     MODEL\n";
  for (const auto& line : lines) {
    out += PadBatchCell(std::to_string(line.line_number), 6);
    if (line.error) {
      out += "error: " + DisplayText(line.error->message) + "\n";
      continue;
    }
    if (line.free) {
      out += PadBatchCell("free", 14) + PadBatchCell("0", 14) + PadBatchCell("0", 14) +
             PadBatchCell("-", 10) + DisplayText(line.model) + "\n";
      continue;
    }
    out += PadBatchCell(FormatTokenAmount(line.amount), 14) +
           PadBatchCell(FormatTokenAmount(line.fee_max), 14) +
           PadBatchCell(FormatTokenAmount(U256::SaturatingAdd(line.amount, line.fee_max)), 14) +
           PadBatchCell(DisplayText(BatchTokenText(line)), 10) + DisplayText(line.model);
    if (!line.refusal.empty()) out += "  (mpp would not pay it: " + DisplayText(line.refusal) + ")";
    out += "\n";
  }
  out +=
      "\ntotal: " + FormatTokenAmount(summary.total) + " for " + std::to_string(summary.quoted) + " line(s)";
  out += " (" + std::to_string(summary.probes) + " distinct request(s) probed)\n";
  out += "worst case with fees: " + FormatTokenAmount(summary.worst_case) + "\n";
  if (summary.mixed_currencies)
    out += "note: the lines are priced in different tokens; the totals add them up\n";
  if (!summary.daily_limit) {
    out += "daily budget: none set (--daily-limit)\n";
  } else if (summary.budget_refusal.empty()) {
    out += "daily budget: fits (" + *summary.daily_limit + " a day)\n";
  } else {
    out += "daily budget: does not fit: " + DisplayText(summary.budget_refusal) + "\n";
  }
  out += "failed: " + std::to_string(summary.failed) + " of " + std::to_string(summary.lines) +
         " line(s) could not be quoted" + (summary.failed > 0 ? " (not counted)" : "") + "\n";
  return out;
}

std::string RenderBatchQuoteJson(const std::vector<BatchQuoteLine>& lines, const BatchQuoteSummary& summary) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("lines");
  w.StartArray();
  for (const auto& line : lines) {
    w.StartObject();
    w.Key("index");
    w.Uint64(line.index);
    w.Key("line");
    w.Uint64(line.line_number);
    if (line.error) {
      json::WriteField(w, "error", DisplayText(line.error->message));
      w.Key("exit_code");
      w.Int(ExitCode(line.error->kind));
      w.EndObject();
      continue;
    }
    WriteBatchAmount(w, "price", line.amount);
    WriteBatchAmount(w, "fee_max", line.fee_max);
    WriteBatchAmount(w, "worst_case", U256::SaturatingAdd(line.amount, line.fee_max));
    json::WriteOptionalField(
        w, "currency", line.currency.empty() ? std::nullopt : std::optional<std::string>(line.currency));
    json::WriteOptionalField(w, "token",
                             line.token.empty() ? std::nullopt : std::optional<std::string>(line.token));
    w.Key("free");
    w.Bool(line.free);
    json::WriteOptionalField(
        w, "model", line.model.empty() ? std::nullopt : std::optional<std::string>(DisplayText(line.model)));
    json::WriteOptionalField(
        w, "refusal",
        line.refusal.empty() ? std::nullopt : std::optional<std::string>(DisplayText(line.refusal)));
    w.EndObject();
  }
  w.EndArray();
  w.Key("quoted");
  w.Uint64(summary.quoted);
  w.Key("failed");
  w.Uint64(summary.failed);
  w.Key("probes");
  w.Uint64(summary.probes);
  WriteBatchAmount(w, "total", summary.total);
  WriteBatchAmount(w, "worst_case", summary.worst_case);
  w.Key("mixed_currencies");
  w.Bool(summary.mixed_currencies);
  json::WriteOptionalField(w, "daily_limit", summary.daily_limit);
  w.Key("fits_daily_budget");
  if (summary.daily_limit) {
    w.Bool(summary.budget_refusal.empty());
  } else {
    w.Null();
  }
  json::WriteOptionalField(w, "budget_refusal",
                           summary.budget_refusal.empty()
                               ? std::nullopt
                               : std::optional<std::string>(DisplayText(summary.budget_refusal)));
  w.EndObject();
  return json::BufferText(buffer) + "\n";
}

}  // namespace mpp::cli
