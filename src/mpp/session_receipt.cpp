#include "mpp/session_receipt.h"

#include "mpp/session_fields.h"
#include "util/base64url.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

namespace fields = session_fields;
constexpr std::size_t kMaxSessionReceiptFieldChars = 200;

Error BadSessionReceipt(const std::string& why) {
  return MakeError(ErrorKind::kNetwork, "session receipt: " + why);
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A string member shown to the user: display-safe and bounded; empty when absent.
Result<std::string> DisplayMember(const rapidjson::Value& doc, const char* name, bool required) {
  const rapidjson::Value* v = fields::Find(doc, name);
  if (!v) {
    if (required) return BadSessionReceipt(std::string(name) + " is missing");
    return std::string();
  }
  if (!v->IsString()) return BadSessionReceipt(std::string(name) + " is not a string");
  return DisplayText(std::string_view(v->GetString(), v->GetStringLength()), kMaxSessionReceiptFieldChars);
}

Result<U256> ReceiptAmount(const rapidjson::Value& doc, const char* name) {
  const rapidjson::Value* v = fields::Find(doc, name);
  auto amount = v ? fields::Uint96(*v) : std::nullopt;
  if (!amount) return BadSessionReceipt(std::string(name) + " is not a uint96 decimal string");
  return *amount;
}

bool MemberIs(const rapidjson::Value& doc, const char* name, std::string_view expected) {
  const rapidjson::Value* v = fields::Find(doc, name);
  return v && v->IsString() && std::string_view(v->GetString(), v->GetStringLength()) == expected;
}

}  // namespace

Result<SessionReceipt> ParseSessionReceiptHeader(std::string_view header_value) {
  std::string_view text = TrimBlanks(header_value);
  if (text.size() > kMaxSessionReceiptChars) return BadSessionReceipt("larger than 16 KiB");
  for (int i = 0; i < 2 && !text.empty() && text.back() == '='; ++i) text.remove_suffix(1);
  auto bytes = DecodeBase64Url(text);
  if (!bytes) return BadSessionReceipt("not base64url");
  return ParseSessionReceiptJson(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
}

Result<SessionReceipt> ParseSessionReceiptJson(std::string_view json_text) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(json_text, kMaxSessionReceiptChars, doc, why))
    return BadSessionReceipt("not JSON (" + why + ")");
  if (!doc.IsObject()) return BadSessionReceipt("not a JSON object");
  if (auto dup = json::FindDuplicateKey(doc)) {
    return BadSessionReceipt("has the key \"" + DisplayText(*dup, 40) + "\" twice");
  }
  if (!MemberIs(doc, "method", "tempo") || !MemberIs(doc, "intent", "session")) {
    return BadSessionReceipt("not a tempo/session receipt");
  }
  SessionReceipt out;
  auto status = DisplayMember(doc, "status", false);
  if (!status) return status.error();
  out.status = std::move(*status);
  auto timestamp = DisplayMember(doc, "timestamp", false);
  if (!timestamp) return timestamp.error();
  out.timestamp = std::move(*timestamp);
  auto challenge_id = DisplayMember(doc, "challengeId", true);
  if (!challenge_id) return challenge_id.error();
  out.challenge_id = std::move(*challenge_id);

  const rapidjson::Value* id = fields::Find(doc, "channelId");
  auto channel_id = id ? fields::Bytes32(*id) : std::nullopt;
  if (!channel_id) return BadSessionReceipt("channelId is not 0x + 64 hex digits");
  out.channel_id = *channel_id;
  auto accepted = ReceiptAmount(doc, "acceptedCumulative");
  if (!accepted) return accepted.error();
  out.accepted_cumulative = *accepted;
  auto spent = ReceiptAmount(doc, "spent");
  if (!spent) return spent.error();
  out.spent = *spent;
  const rapidjson::Value* units = fields::Find(doc, "units");
  if (!units || !units->IsUint64()) return BadSessionReceipt("units is not a non-negative integer");
  out.units = units->GetUint64();
  if (const rapidjson::Value* hash = fields::Find(doc, "txHash")) {
    auto tx_hash = fields::Bytes32(*hash);
    if (!tx_hash) return BadSessionReceipt("txHash is not 0x + 64 hex digits");
    out.tx_hash = *tx_hash;
  }
  return out;
}

Status CheckSessionReceipt(const SessionReceipt& receipt, const Hash32& channel_id,
                           std::string_view challenge_id, const U256& signed_cumulative) {
  if (!receipt.IsSuccess()) return BadSessionReceipt("status is \"" + receipt.status + "\", not success");
  if (receipt.channel_id != channel_id) return BadSessionReceipt("it is for another channel");
  if (receipt.challenge_id != challenge_id) return BadSessionReceipt("it answers another challenge");
  if (receipt.accepted_cumulative > signed_cumulative) {
    return BadSessionReceipt("it claims a voucher of " + receipt.accepted_cumulative.ToDecimal() +
                             ", more than the " + signed_cumulative.ToDecimal() + " signed");
  }
  if (receipt.spent > receipt.accepted_cumulative) {
    return BadSessionReceipt("it claims " + receipt.spent.ToDecimal() + " spent, more than the " +
                             receipt.accepted_cumulative.ToDecimal() + " it holds");
  }
  return {};
}

}  // namespace mpp::protocol
