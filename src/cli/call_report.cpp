#include "cli/call_report.h"

#include <cmath>

#include "tempo/chains.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/json_writer.h"

namespace mpp::cli {
namespace {

void WriteStringOrNull(json::Writer& writer, std::string_view key, std::string_view value) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (value.empty()) {
    writer.Null();
  } else {
    json::WriteString(writer, value);
  }
}

void WriteMillis(json::Writer& writer, const char* key, const std::optional<double>& ms) {
  writer.Key(key);
  if (!ms) {
    writer.Null();
    return;
  }
  writer.Double(std::round(*ms * 10.0) / 10.0);
}

void WritePayment(json::Writer& writer, const protocol::PaymentSummary& payment) {
  json::WriteField(writer, "intent", payment.channel ? "session" : "charge");
  json::WriteField(writer, "paid", FormatTokenAmount(payment.amount));
  if (payment.fee_paid) {
    json::WriteField(writer, "fee", FormatTokenAmount(*payment.fee_paid));
  } else if (!payment.fee.IsZero()) {
    json::WriteField(writer, "fee_max", FormatTokenAmount(payment.fee));
  } else {
    json::WriteField(writer, "fee", "0");
  }
  json::WriteField(writer, "token", payment.currency.ToChecksumHex());
  if (const auto* chain = tempo::FindChainById(payment.chain_id)) {
    if (const auto* token = tempo::FindToken(*chain, payment.currency))
      json::WriteField(writer, "token_symbol", token->symbol);
  }
  if (!payment.tx_hash.empty()) json::WriteField(writer, "tx", payment.tx_hash);
  if (payment.channel)
    json::WriteField(writer, "channel", ToHex(ByteView(payment.channel->channel_id.data(), 32)));
}

}  // namespace

std::string FormatCallReport(const CallReport& report) {
  rapidjson::StringBuffer buffer;
  json::Writer writer(buffer);
  writer.StartObject();
  if (report.index) {
    writer.Key("index");
    writer.Uint64(*report.index);
  }
  if (report.error) {
    json::WriteField(writer, "error", report.error->message);
    writer.Key("exit_code");
    writer.Int(ExitCode(report.error->kind));
  } else {
    json::WriteField(writer, "output", report.output.value_or(""));
  }
  WriteStringOrNull(writer, "model", report.model);
  writer.Key("usage");
  if (report.usage) {
    writer.StartObject();
    writer.Key("prompt_tokens");
    writer.Int64(report.usage->prompt_tokens);
    writer.Key("completion_tokens");
    writer.Int64(report.usage->completion_tokens);
    writer.Key("total_tokens");
    writer.Int64(report.usage->total_tokens);
    writer.EndObject();
  } else {
    writer.Null();
  }
  WriteStringOrNull(writer, "service", report.service);
  WriteStringOrNull(writer, "url", report.url);
  WriteStringOrNull(writer, "conversation", report.conversation);
  writer.Key("timings");
  writer.StartObject();
  WriteMillis(writer, "total_ms", report.total_ms);
  WriteMillis(writer, "first_output_ms", report.first_output_ms);
  writer.EndObject();
  if (report.payment && report.payment->moved_funds) WritePayment(writer, *report.payment);
  writer.EndObject();
  return json::BufferText(buffer) + "\n";
}

}  // namespace mpp::cli
