#include "cli/channels_render.h"

#include <algorithm>
#include <array>

#include "tempo/chains.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/json_writer.h"
#include "util/text.h"
#include "util/utc_time.h"

namespace mpp::cli {
namespace {

using protocol::ChannelStatus;

std::string HexOf(const Hash32& hash) { return ToHex(ByteView(hash.data(), hash.size())); }

// "0x1a2b3c4d..": enough of an id to tell channels apart and to name one to `close`.
std::string ShortId(const Hash32& id) { return HexOf(id).substr(0, 10) + ".."; }
std::string ShortAddress(const crypto::Address& a) {
  const std::string text = a.ToChecksumHex();
  return text.substr(0, 6) + ".." + text.substr(text.size() - 4);
}

const tempo::Token* KnownToken(const protocol::ChannelScope& scope) {
  const tempo::Chain* chain = tempo::FindChainById(scope.chain_id);
  return chain != nullptr ? tempo::FindToken(*chain, scope.token) : nullptr;
}

std::int64_t AgeOf(const ChannelRow& row, std::int64_t now) {
  return row.record.opened_at > 0 ? now - row.record.opened_at : 0;
}

std::string AmountOrDash(const std::optional<U256>& amount) {
  return amount ? FormatTokenAmount(*amount) : std::string("-");
}

void WriteAmount(json::Writer& w, std::string_view key, const std::optional<U256>& amount) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (amount) {
    json::WriteString(w, amount->ToDecimal());
  } else {
    w.Null();
  }
}

}  // namespace

std::string_view ChannelRowStatus(const ChannelRow& row) {
  const ChannelStatus status = row.record.status;
  if (status == ChannelStatus::kClosed || !row.chain) return protocol::ChannelStatusName(status);
  if (!row.chain->Exists()) return "gone";
  if (row.chain->close_requested_at != 0) return "closing";
  return protocol::ChannelStatusName(status);
}

std::optional<U256> Refundable(const ChannelRow& row) {
  if (!row.chain) return std::nullopt;
  if (!row.chain->Exists()) return U256();
  const U256& kept = std::max(row.record.spent, row.chain->settled);
  return U256::CheckedSub(row.chain->deposit, kept).value_or(U256());
}

std::string DurationText(std::int64_t seconds) {
  if (seconds < 60) return std::to_string(std::max<std::int64_t>(seconds, 0)) + "s";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 86400) + "d";
}

std::string RenderChannelsText(const std::vector<ChannelRow>& rows, std::int64_t now) {
  if (rows.empty())
    return "no payment channels in the store ('mpp wallet channels recover' finds them on chain)\n";
  constexpr std::size_t kColumns = 11;
  using Line = std::array<std::string, kColumns>;
  std::vector<Line> lines = {{"CHANNEL", "STATUS", "PAYEE", "TOKEN", "DEPOSIT", "SETTLED", "SIGNED", "SPENT",
                              "REFUNDABLE", "AGE", "ENDPOINT"}};
  for (const auto& row : rows) {
    const protocol::StoredChannel& r = row.record;
    const tempo::Token* token = KnownToken(r.scope);
    std::optional<U256> deposit;
    std::optional<U256> settled;
    if (row.chain) {
      deposit = row.chain->deposit;
      settled = row.chain->settled;
    }
    lines.push_back({ShortId(r.channel_id), std::string(ChannelRowStatus(row)), ShortAddress(r.scope.payee),
                     token != nullptr ? std::string(token->symbol) : ShortAddress(r.scope.token),
                     AmountOrDash(deposit), AmountOrDash(settled), FormatTokenAmount(r.cumulative),
                     FormatTokenAmount(r.spent), AmountOrDash(Refundable(row)), DurationText(AgeOf(row, now)),
                     r.endpoint.empty() ? std::string("-") : DisplayText(r.endpoint, 120)});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const auto& line : lines) {
    for (std::size_t i = 0; i < kColumns; ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  std::string out;
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t i = 0; i < kColumns; ++i) {
      text += line[i];
      if (i + 1 < kColumns) text += std::string(widths[i] - line[i].size() + 2, ' ');
    }
    out += text + "\n";
  }
  return out;
}

std::string RenderChannelsJson(const std::vector<ChannelRow>& rows, std::int64_t now) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartArray();
  for (const auto& row : rows) {
    const protocol::StoredChannel& r = row.record;
    const tempo::Token* token = KnownToken(r.scope);
    w.StartObject();
    json::WriteField(w, "channel_id", HexOf(r.channel_id));
    json::WriteField(w, "status", ChannelRowStatus(row));
    json::WriteField(w, "record_status", protocol::ChannelStatusName(r.status));
    w.Key("chain_id");
    w.Uint64(r.scope.chain_id);
    json::WriteField(w, "payer", r.scope.payer.ToChecksumHex());
    json::WriteField(w, "payee", r.scope.payee.ToChecksumHex());
    json::WriteField(w, "token", r.scope.token.ToChecksumHex());
    json::WriteOptionalField(w, "symbol",
                             token != nullptr ? std::optional<std::string>(token->symbol) : std::nullopt);
    json::WriteField(w, "escrow", r.scope.escrow.ToChecksumHex());
    WriteAmount(w, "deposit", row.chain ? std::optional<U256>(row.chain->deposit) : std::nullopt);
    WriteAmount(w, "settled", row.chain ? std::optional<U256>(row.chain->settled) : std::nullopt);
    WriteAmount(w, "signed", r.cumulative);
    WriteAmount(w, "spent", r.spent);
    WriteAmount(w, "refundable", Refundable(row));
    w.Key("close_requested_at");
    if (row.chain && row.chain->close_requested_at != 0) {
      w.Uint64(row.chain->close_requested_at);
    } else {
      w.Null();
    }
    json::WriteField(w, "opened_at", r.opened_at > 0 ? FormatUtcTimestamp(r.opened_at) : std::string());
    w.Key("age_seconds");
    w.Int64(AgeOf(row, now));
    json::WriteField(w, "endpoint", r.endpoint);
    w.EndObject();
  }
  w.EndArray();
  return json::BufferText(buffer) + "\n";
}

}  // namespace mpp::cli
