#include "mpp/charge_request.h"

#include <algorithm>

#include "mpp/challenge.h"
#include "util/base64url.h"
#include "util/hex.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

using rapidjson::Value;

Error Refuse(const std::string& what) {
  return MakeError(ErrorKind::kPaymentRefusedLocally, "challenge request: " + what);
}

// The member `name`, or nullptr when absent or null.
const Value* Member(const Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

Status CheckNoDuplicates(const Value& object, const std::string& where) {
  if (auto dup = json::FindDuplicateKey(object)) {
    return Refuse(where + "has the key \"" + DisplayText(*dup, 40) + "\" twice");
  }
  return {};
}

Result<U256> ReadAmount(const Value& object, const std::string& field) {
  const Value* v = Member(object, "amount");
  if (!v) return Refuse(field + " is missing");
  if (!v->IsString()) return Refuse(field + " must be a string of decimal digits");
  auto amount = U256::FromDecimal(std::string_view(v->GetString(), v->GetStringLength()));
  if (!amount) return Refuse(field + " must be plain decimal digits without sign, exponent or leading zeros");
  return *amount;
}

Result<crypto::Address> ReadAddress(const Value& object, const char* name, const std::string& field) {
  const Value* v = Member(object, name);
  if (!v) return Refuse(field + " is missing");
  if (!v->IsString()) return Refuse(field + " must be a string");
  auto address = crypto::Address::Parse(std::string_view(v->GetString(), v->GetStringLength()));
  if (!address) return Refuse(field + " is not a 0x address with a valid checksum");
  return *address;
}

Result<std::optional<std::string>> ReadOptionalString(const Value& object, const char* name,
                                                      const std::string& field) {
  const Value* v = Member(object, name);
  if (!v) return std::optional<std::string>();
  if (!v->IsString()) return Refuse(field + " must be a string");
  return std::optional<std::string>(std::string(v->GetString(), v->GetStringLength()));
}

Result<std::optional<Hash32>> ReadMemo(const Value& object, const std::string& field) {
  auto text = ReadOptionalString(object, "memo", field);
  if (!text) return text.error();
  if (!*text || (*text)->empty()) return std::optional<Hash32>();
  auto bytes = FromHexExact(**text, 32);
  if (!bytes) return Refuse(field + " must be 32 bytes of hex");
  Hash32 memo;
  std::copy(bytes->begin(), bytes->end(), memo.begin());
  return std::optional<Hash32>(memo);
}

Result<ChargeSplit> ReadSplit(const Value& entry, const std::string& field) {
  if (!entry.IsObject()) return Refuse(field + " must be an object");
  if (auto s = CheckNoDuplicates(entry, field + " "); !s) return s.error();
  auto amount = ReadAmount(entry, field + ".amount");
  if (!amount) return amount.error();
  if (amount->IsZero()) return Refuse(field + ".amount must be greater than zero");
  auto recipient = ReadAddress(entry, "recipient", field + ".recipient");
  if (!recipient) return recipient.error();
  auto memo = ReadMemo(entry, field + ".memo");
  if (!memo) return memo.error();
  return ChargeSplit{*amount, *recipient, *memo};
}

Status ReadSplits(const Value& details, ChargeRequest& out) {
  const Value* v = Member(details, "splits");
  if (!v) return {};
  if (!v->IsArray()) return Refuse("methodDetails.splits must be an array");
  if (v->Empty()) return Refuse("methodDetails.splits must not be empty");
  if (v->Size() > kMaxSplits) {
    return Refuse("methodDetails.splits has more than " + std::to_string(kMaxSplits) + " entries");
  }
  U256 total;
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    auto split = ReadSplit((*v)[i], "methodDetails.splits[" + std::to_string(i) + "]");
    if (!split) return split.error();
    auto sum = U256::CheckedAdd(total, split->amount);
    if (!sum) return Refuse("methodDetails.splits add up to more than 2^256");
    total = *sum;
    out.splits.push_back(std::move(*split));
  }
  if (total >= out.amount) return Refuse("methodDetails.splits add up to amount or more");
  return {};
}

Status ReadSupportedModes(const Value& details, ChargeRequest& out) {
  const Value* v = Member(details, "supportedModes");
  if (!v) return {};
  if (!v->IsArray()) return Refuse("methodDetails.supportedModes must be an array");
  if (v->Empty()) return Refuse("methodDetails.supportedModes must not be empty");
  for (const Value& mode : v->GetArray()) {
    if (!mode.IsString()) return Refuse("methodDetails.supportedModes must hold strings");
    std::string_view name(mode.GetString(), mode.GetStringLength());
    std::optional<ChargeMode> known;
    if (name == "pull") known = ChargeMode::kPull;
    if (name == "push") known = ChargeMode::kPush;
    // Modes from later versions of the spec are not ours to choose; skip them.
    if (known && std::find(out.supported_modes.begin(), out.supported_modes.end(), *known) ==
                     out.supported_modes.end()) {
      out.supported_modes.push_back(*known);
    }
  }
  if (out.supported_modes.empty()) return Refuse("methodDetails.supportedModes names no known mode");
  return {};
}

Status ReadMethodDetails(const Value& request, ChargeRequest& out) {
  const Value* details = Member(request, "methodDetails");
  if (!details) return {};
  if (!details->IsObject()) return Refuse("methodDetails must be an object");
  if (auto s = CheckNoDuplicates(*details, "methodDetails "); !s) return s;

  if (const Value* chain = Member(*details, "chainId")) {
    if (!chain->IsUint64() || chain->GetUint64() == 0) {
      return Refuse("methodDetails.chainId must be a positive integer");
    }
    out.chain_id = chain->GetUint64();
  }
  if (const Value* fee_payer = Member(*details, "feePayer")) {
    if (!fee_payer->IsBool()) return Refuse("methodDetails.feePayer must be true or false");
    out.fee_payer = fee_payer->GetBool();
  }
  auto memo = ReadMemo(*details, "methodDetails.memo");
  if (!memo) return memo.error();
  out.memo = *memo;
  if (auto s = ReadSplits(*details, out); !s) return s;
  return ReadSupportedModes(*details, out);
}

}  // namespace

bool ChargeRequest::SupportsMode(ChargeMode mode) const {
  return supported_modes.empty() ||
         std::find(supported_modes.begin(), supported_modes.end(), mode) != supported_modes.end();
}

U256 ChargeRequest::PrimaryAmount() const {
  U256 rest = amount;
  for (const ChargeSplit& split : splits) {
    auto next = U256::CheckedSub(rest, split.amount);
    if (!next) return U256();  // unreachable for a decoded request: splits sum below amount
    rest = *next;
  }
  return rest;
}

Result<ChargeRequest> DecodeChargeRequest(std::string_view request_base64url) {
  if (request_base64url.size() > kMaxRequestChars) {
    return Refuse("larger than " + std::to_string(kMaxRequestChars) + " characters");
  }
  auto bytes = DecodeBase64Url(request_base64url);
  if (!bytes) return Refuse("not unpadded base64url");
  rapidjson::Document doc;
  std::string why;
  std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  if (!json::Parse(text, kMaxRequestChars, doc, why)) return Refuse("not JSON (" + why + ")");
  if (!doc.IsObject()) return Refuse("not a JSON object");
  if (auto s = CheckNoDuplicates(doc, ""); !s) return s.error();

  ChargeRequest out;
  auto amount = ReadAmount(doc, "amount");
  if (!amount) return amount.error();
  out.amount = *amount;
  auto currency = ReadAddress(doc, "currency", "currency");
  if (!currency) return currency.error();
  out.currency = *currency;
  auto recipient = ReadAddress(doc, "recipient", "recipient");
  if (!recipient) return recipient.error();
  out.recipient = *recipient;
  auto description = ReadOptionalString(doc, "description", "description");
  if (!description) return description.error();
  out.description = std::move(*description);
  auto external_id = ReadOptionalString(doc, "externalId", "externalId");
  if (!external_id) return external_id.error();
  out.external_id = std::move(*external_id);
  if (auto s = ReadMethodDetails(doc, out); !s) return s.error();
  return out;
}

}  // namespace mpp::protocol
