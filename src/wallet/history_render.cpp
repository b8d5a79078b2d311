#include "wallet/history_render.h"

#include "tempo/chains.h"
#include "util/amount.h"
#include "util/json_writer.h"
#include "util/text.h"
#include "util/utc_time.h"

namespace mpp::wallet {

namespace {

const tempo::Token* KnownToken(const TokenKey& token, const tempo::Chain** chain_out) {
  const tempo::Chain* chain = tempo::FindChainById(token.chain_id);
  if (chain_out != nullptr) *chain_out = chain;
  const auto address = crypto::Address::Parse(token.currency);
  if (chain == nullptr || !address) return nullptr;
  return tempo::FindToken(*chain, *address);
}

std::string Amount(const U256& base_units, const TokenKey& token) {
  return FormatTokenAmount(base_units, TokenDecimals(token));
}

std::string SpendText(const TokenKey& token, const Spend& spend) {
  std::string text = HistoryTokenLabel(token) + ": settled " + Amount(spend.settled, token);
  if (!spend.unsettled.IsZero()) text += ", unsettled " + Amount(spend.unsettled, token);
  if (!spend.fees.IsZero()) text += ", fees " + Amount(spend.fees, token);
  text += " (" + std::to_string(spend.count) + (spend.count == 1 ? " payment)" : " payments)");
  return text;
}

void RenderGroup(std::string& out, const char* title, const std::map<std::string, SpendByToken>& groups) {
  out += title;
  out += '\n';
  for (const auto& [group, by_token] : groups) {
    for (const auto& [token, spend] : by_token) {
      out += "  " + DisplayText(group, 80) + "  " + SpendText(token, spend) + '\n';
    }
  }
}

using json::Writer;

void WriteSpend(Writer& writer, const char* group_key, const std::string* group, const TokenKey& token,
                const Spend& spend) {
  writer.StartObject();
  if (group != nullptr) json::WriteField(writer, group_key, *group);
  writer.Key("chain_id");
  writer.Uint64(token.chain_id);
  json::WriteField(writer, "currency", token.currency);
  json::WriteField(writer, "token", HistoryTokenLabel(token));
  writer.Key("decimals");
  writer.Int(TokenDecimals(token));
  json::WriteField(writer, "settled", spend.settled.ToDecimal());
  json::WriteField(writer, "unsettled", spend.unsettled.ToDecimal());
  json::WriteField(writer, "fees", spend.fees.ToDecimal());
  writer.Key("count");
  writer.Uint64(spend.count);
  writer.EndObject();
}

void WriteGroups(Writer& writer, const char* key, const char* group_key,
                 const std::map<std::string, SpendByToken>& groups) {
  writer.Key(key);
  writer.StartArray();
  for (const auto& [group, by_token] : groups) {
    for (const auto& [token, spend] : by_token) WriteSpend(writer, group_key, &group, token, spend);
  }
  writer.EndArray();
}

// "  fee up to 0.0021" (the reserve), "  fee 0.0021" (what the receipt says), or nothing (no fee).
std::string FeeText(const Payment& payment, const TokenKey& token) {
  if (payment.fee_paid) return "  fee " + Amount(*payment.fee_paid, token);
  const U256 fee = CountedFee(payment);
  return fee.IsZero() ? std::string() : "  fee up to " + Amount(fee, token);
}

// One close: "<time>  closed  0.004 pathUSD (testnet) refunded, 0.001 kept  <service>  cooperative
// channel 0x..  tx 0x..", or for a requested forced close "<time>  close requested  ...  fee 0.002".
std::string CloseLine(const JournalRecord& close) {
  const TokenKey token{close.chain_id, close.currency};
  std::string line = FormatUtcTimestamp(close.time) + "  ";
  if (close.mode == "request-close") {
    line += "close requested";
  } else if (IsSentClose(close)) {
    line += "close sent, outcome not recorded ('mpp wallet channels' shows the chain's view)";
  } else {
    line += "closed  " + Amount(close.amount, token) + " " + HistoryTokenLabel(token) + " refunded, " +
            Amount(close.cumulative, token) + " kept by the payee";
  }
  if (close.fee_paid) line += "  fee " + Amount(*close.fee_paid, token);
  line += "  " + DisplayText(ServiceName(close), 80) + "  " + DisplayText(close.mode, 20) + " channel " +
          DisplayText(close.channel_id, 66);
  if (!close.tx_hash.empty()) line += "  tx " + DisplayText(close.tx_hash, 80);
  return line + '\n';
}

void WriteClose(Writer& writer, const JournalRecord& close) {
  writer.StartObject();
  json::WriteField(writer, "id", close.payment_id);
  json::WriteField(writer, "time", FormatUtcTimestamp(close.time));
  json::WriteField(writer, "mode", close.mode);
  json::WriteField(writer, "service", ServiceName(close));
  json::WriteField(writer, "url", close.url);
  json::WriteField(writer, "channel_id", close.channel_id);
  json::WriteField(writer, "escrow", close.escrow);
  json::WriteField(writer, "payer", close.payer);
  json::WriteField(writer, "payee", close.recipient);
  writer.Key("chain_id");
  writer.Uint64(close.chain_id);
  json::WriteField(writer, "currency", close.currency);
  json::WriteField(writer, "token", HistoryTokenLabel(TokenKey{close.chain_id, close.currency}));
  json::WriteField(writer, "deposit", close.deposit.ToDecimal());
  json::WriteField(writer, "refunded", close.amount.ToDecimal());
  json::WriteField(writer, "kept", close.cumulative.ToDecimal());
  json::WriteField(writer, "tx_hash", close.tx_hash);
  writer.Key("fee_paid");
  if (close.fee_paid) {
    writer.String(close.fee_paid->ToDecimal());
  } else {
    writer.Null();
  }
  writer.EndObject();
}

}  // namespace

std::string HistoryTokenLabel(const TokenKey& token) {
  const tempo::Chain* chain = nullptr;
  if (const tempo::Token* known = KnownToken(token, &chain)) {
    return std::string(known->symbol) + " (" + std::string(chain->name) + ")";
  }
  const std::string chain_name =
      chain != nullptr ? std::string(chain->name) : "chain " + std::to_string(token.chain_id);
  return DisplayText(token.currency, 64) + " (" + chain_name + ")";
}

int TokenDecimals(const TokenKey& token) {
  const tempo::Token* known = KnownToken(token, nullptr);
  return known != nullptr ? known->decimals : kTip20Decimals;
}

std::string RenderHistoryText(const std::vector<Payment>& payments, const HistoryTotals& totals,
                              const std::vector<JournalRecord>& closes) {
  if (payments.empty() && closes.empty()) return "no payments\n";
  std::string out;
  auto next_close = closes.begin();
  for (const Payment& payment : payments) {
    const JournalRecord& r = payment.signed_record;
    for (; next_close != closes.end() && next_close->time < r.time; ++next_close)
      out += CloseLine(*next_close);
    const TokenKey token{r.chain_id, r.currency};
    out += FormatUtcTimestamp(r.time) + "  " + std::string(OutcomeName(payment.outcome)) + "  " +
           Amount(r.amount, token) + " " + HistoryTokenLabel(token) + FeeText(payment, token) + "  " +
           DisplayText(ServiceName(r), 80) + "  " + DisplayText(r.mode, 20);
    if (!r.channel_id.empty()) {
      // A session call: its channel, and what its answer added (vouchers, top-ups) beyond the first.
      out += " on channel " + DisplayText(r.channel_id, 66);
      if (payment.vouchers + payment.top_ups > 0) {
        out += " (+" + std::to_string(payment.vouchers) + (payment.vouchers == 1 ? " voucher" : " vouchers");
        if (payment.top_ups > 0)
          out += ", " + std::to_string(payment.top_ups) + (payment.top_ups == 1 ? " top-up" : " top-ups");
        out += ")";
      }
    }
    // A sponsored payment's hash is the receipt's (the signed record has none).
    const bool receipt_hash =
        payment.outcome == Outcome::kSettled && payment.outcome_detail.starts_with("0x");
    if (!r.tx_hash.empty()) {
      out += "  tx " + DisplayText(r.tx_hash, 80);
    } else if (receipt_hash) {
      out += "  tx " + DisplayText(payment.outcome_detail, 80);
    }
    const bool unknown_hash = payment.outcome == Outcome::kSettled && r.tx_hash.empty() &&
                              !payment.outcome_detail.empty() && !receipt_hash;
    if (payment.outcome == Outcome::kRefused || payment.outcome == Outcome::kFailed ||
        payment.outcome == Outcome::kUndelivered || unknown_hash) {
      out += "  (" + DisplayText(payment.outcome_detail, 200) + ")";
    } else if (payment.outcome == Outcome::kUnknown) {
      const std::string detail =
          payment.outcome_detail.empty() ? "" : DisplayText(payment.outcome_detail, 200) + "; ";
      out += "  (" + detail + "still unknown: " + StillUnknownWhy(payment) + ")";
    } else if (payment.outcome == Outcome::kSettled && !payment.chain_evidence.empty()) {
      out += "  (on chain: " + DisplayText(payment.chain_evidence, 200) + ")";
    }
    if (!payment.answer_lost.empty()) out += "  (answer lost: " + DisplayText(payment.answer_lost, 200) + ")";
    out += '\n';
  }
  for (; next_close != closes.end(); ++next_close) out += CloseLine(*next_close);
  out += '\n';
  RenderGroup(out, "Totals per day (UTC):", totals.per_day);
  RenderGroup(out, "Totals per service:", totals.per_service);
  out += "Totals per token:\n";
  for (const auto& [token, spend] : totals.per_token) out += "  " + SpendText(token, spend) + '\n';
  return out;
}

std::string RenderHistoryJson(const std::vector<Payment>& payments, const HistoryTotals& totals,
                              const std::vector<JournalRecord>& closes) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("payments");
  writer.StartArray();
  for (const Payment& payment : payments) {
    const JournalRecord& r = payment.signed_record;
    writer.StartObject();
    json::WriteField(writer, "id", r.payment_id);
    json::WriteField(writer, "time", FormatUtcTimestamp(r.time));
    json::WriteField(writer, "outcome", std::string(OutcomeName(payment.outcome)));
    json::WriteField(writer, "detail", payment.outcome_detail);
    if (!payment.service_payment_id.empty())
      json::WriteField(writer, "service_payment_id", payment.service_payment_id);
    json::WriteField(writer, "service", ServiceName(r));
    json::WriteField(writer, "url", r.url);
    json::WriteField(writer, "realm", r.realm);
    json::WriteField(writer, "challenge_id", r.challenge_id);
    json::WriteField(writer, "amount", r.amount.ToDecimal());
    writer.Key("chain_id");
    writer.Uint64(r.chain_id);
    json::WriteField(writer, "currency", r.currency);
    json::WriteField(writer, "token", HistoryTokenLabel(TokenKey{r.chain_id, r.currency}));
    json::WriteField(writer, "recipient", r.recipient);
    json::WriteField(writer, "tx_hash", r.tx_hash);
    json::WriteField(writer, "mode", r.mode);
    json::WriteField(writer, "fee", r.fee.ToDecimal());
    writer.Key("fee_paid");
    if (payment.fee_paid) {
      writer.String(payment.fee_paid->ToDecimal());
    } else {
      writer.Null();
    }
    json::WriteField(writer, "chain_evidence", payment.chain_evidence);
    json::WriteField(writer, "still_unknown", StillUnknownWhy(payment));
    json::WriteField(writer, "answer_lost", payment.answer_lost);
    if (!r.channel_id.empty()) {
      json::WriteField(writer, "channel_id", r.channel_id);
      json::WriteField(writer, "cumulative", r.cumulative.ToDecimal());
      writer.Key("vouchers");
      writer.Uint64(payment.vouchers);
      writer.Key("top_ups");
      writer.Uint64(payment.top_ups);
    }
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("closes");
  writer.StartArray();
  for (const JournalRecord& close : closes) WriteClose(writer, close);
  writer.EndArray();
  writer.Key("totals");
  writer.StartObject();
  WriteGroups(writer, "per_day", "day", totals.per_day);
  WriteGroups(writer, "per_service", "service", totals.per_service);
  writer.Key("per_token");
  writer.StartArray();
  for (const auto& [token, spend] : totals.per_token) WriteSpend(writer, nullptr, nullptr, token, spend);
  writer.EndArray();
  writer.EndObject();
  writer.EndObject();
  return json::BufferText(buffer) + "\n";
}

}  // namespace mpp::wallet
