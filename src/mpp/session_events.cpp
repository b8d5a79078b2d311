#include "mpp/session_events.h"

#include "mpp/session_fields.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

namespace fields = session_fields;

Error BadNeedVoucher(const std::string& why) {
  return MakeError(ErrorKind::kNetwork, "payment-need-voucher event: " + why);
}

Result<U256> NeedVoucherAmount(const rapidjson::Value& doc, const char* name) {
  const rapidjson::Value* v = fields::Find(doc, name);
  auto amount = v ? fields::Uint96(*v) : std::nullopt;
  if (!amount) return BadNeedVoucher(std::string(name) + " is not a uint96 decimal string");
  return *amount;
}

}  // namespace

Result<NeedVoucher> ParseNeedVoucher(std::string_view data_json) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(data_json, kMaxNeedVoucherChars, doc, why))
    return BadNeedVoucher("not JSON (" + why + ")");
  if (!doc.IsObject()) return BadNeedVoucher("not a JSON object");
  if (auto dup = json::FindDuplicateKey(doc)) {
    return BadNeedVoucher("has the key \"" + DisplayText(*dup, 40) + "\" twice");
  }
  NeedVoucher out;
  const rapidjson::Value* id = fields::Find(doc, "channelId");
  auto channel_id = id ? fields::Bytes32(*id) : std::nullopt;
  if (!channel_id) return BadNeedVoucher("channelId is not 0x + 64 hex digits");
  out.channel_id = *channel_id;
  auto required = NeedVoucherAmount(doc, "requiredCumulative");
  if (!required) return required.error();
  out.required_cumulative = *required;
  auto accepted = NeedVoucherAmount(doc, "acceptedCumulative");
  if (!accepted) return accepted.error();
  out.accepted_cumulative = *accepted;
  auto deposit = NeedVoucherAmount(doc, "deposit");
  if (!deposit) return deposit.error();
  out.deposit = *deposit;
  if (out.required_cumulative <= out.accepted_cumulative) {
    return BadNeedVoucher("requiredCumulative is not above acceptedCumulative");
  }
  return out;
}

}  // namespace mpp::protocol
