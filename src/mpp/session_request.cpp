#include "mpp/session_request.h"

#include "mpp/challenge.h"
#include "mpp/session_fields.h"
#include "tempo/channel.h"
#include "util/base64url.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

using rapidjson::Value;
namespace fields = session_fields;

Error RefuseSession(const std::string& what) {
  return MakeError(ErrorKind::kPaymentRefusedLocally, "session challenge request: " + what);
}

Status NoDuplicateKeys(const Value& object, const std::string& where) {
  if (auto dup = json::FindDuplicateKey(object)) {
    return RefuseSession(where + "has the key \"" + DisplayText(*dup, 40) + "\" twice");
  }
  return {};
}

Result<U256> RequiredAmount(const Value& object, const char* name, const std::string& field) {
  const Value* v = fields::Find(object, name);
  if (!v) return RefuseSession(field + " is missing");
  auto amount = fields::Uint96(*v);
  if (!amount) return RefuseSession(field + " must be a decimal string of base units within uint96");
  return *amount;
}

Result<std::optional<U256>> OptionalAmount(const Value& object, const char* name, const std::string& field) {
  if (!fields::Find(object, name)) return std::optional<U256>();
  auto amount = RequiredAmount(object, name, field);
  if (!amount) return amount.error();
  return std::optional<U256>(*amount);
}

Result<crypto::Address> RequiredAddress(const Value& object, const char* name, const std::string& field) {
  const Value* v = fields::Find(object, name);
  if (!v) return RefuseSession(field + " is missing");
  auto address = fields::Address(*v);
  if (!address) return RefuseSession(field + " is not a 0x address with a valid checksum");
  return *address;
}

Result<std::optional<crypto::Address>> OptionalAddress(const Value& object, const char* name,
                                                       const std::string& field) {
  if (!fields::Find(object, name)) return std::optional<crypto::Address>();
  auto address = RequiredAddress(object, name, field);
  if (!address) return address.error();
  return std::optional<crypto::Address>(*address);
}

Status ReadUnitType(const Value& request, SessionRequest& out) {
  const Value* v = fields::Find(request, "unitType");
  if (!v) return RefuseSession("unitType is missing");
  if (!v->IsString() || v->GetStringLength() == 0 || v->GetStringLength() > kMaxUnitTypeChars) {
    return RefuseSession("unitType must be a string of 1 to " + std::to_string(kMaxUnitTypeChars) + " bytes");
  }
  out.unit_type.assign(v->GetString(), v->GetStringLength());
  return {};
}

Status ReadSessionProtocol(const Value& details, SessionRequest& out) {
  const Value* v = fields::Find(details, "sessionProtocol");
  if (!v) return {};
  std::string_view name = v->IsString() ? std::string_view(v->GetString(), v->GetStringLength()) : "";
  if (name == "v2") {
    out.session_protocol = SessionProtocol::kV2;
  } else if (name == "v1") {
    out.session_protocol = SessionProtocol::kLegacyV1;
  } else {
    return RefuseSession("methodDetails.sessionProtocol must be \"v1\" or \"v2\"");
  }
  return {};
}

Status ReadSessionDetails(const Value& request, SessionRequest& out) {
  const Value* details = fields::Find(request, "methodDetails");
  if (!details) return {};
  if (!details->IsObject()) return RefuseSession("methodDetails must be an object");
  if (auto s = NoDuplicateKeys(*details, "methodDetails "); !s) return s;

  if (const Value* chain = fields::Find(*details, "chainId")) {
    if (!chain->IsUint64() || chain->GetUint64() == 0) {
      return RefuseSession("methodDetails.chainId must be a positive integer");
    }
    out.chain_id = chain->GetUint64();
  }
  auto escrow = OptionalAddress(*details, "escrowContract", "methodDetails.escrowContract");
  if (!escrow) return escrow.error();
  out.escrow_contract = *escrow;
  if (auto s = ReadSessionProtocol(*details, out); !s) return s;
  if (const Value* fee_payer = fields::Find(*details, "feePayer")) {
    if (!fee_payer->IsBool()) return RefuseSession("methodDetails.feePayer must be true or false");
    out.fee_payer = fee_payer->GetBool();
  }
  auto fee_token = OptionalAddress(*details, "feeToken", "methodDetails.feeToken");
  if (!fee_token) return fee_token.error();
  out.fee_token = *fee_token;
  auto operator_address = OptionalAddress(*details, "operator", "methodDetails.operator");
  if (!operator_address) return operator_address.error();
  out.operator_address = *operator_address;
  auto delta = OptionalAmount(*details, "minVoucherDelta", "methodDetails.minVoucherDelta");
  if (!delta) return delta.error();
  out.min_voucher_delta = delta->value_or(U256());
  if (const Value* id = fields::Find(*details, "channelId")) {
    auto channel_id = fields::Bytes32(*id);
    if (!channel_id) return RefuseSession("methodDetails.channelId must be 0x + 64 hex digits");
    out.channel_id = *channel_id;
  }
  out.has_session_snapshot = fields::Find(*details, "sessionSnapshot") != nullptr;
  return {};
}

}  // namespace

crypto::Address SessionRequest::Escrow() const { return escrow_contract.value_or(tempo::kChannelEscrow); }

Result<SessionRequest> DecodeSessionRequest(std::string_view request_base64url) {
  if (request_base64url.size() > kMaxRequestChars) {
    return RefuseSession("larger than " + std::to_string(kMaxRequestChars) + " characters");
  }
  auto bytes = DecodeBase64Url(request_base64url);
  if (!bytes) return RefuseSession("not unpadded base64url");
  rapidjson::Document doc;
  std::string why;
  std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  if (!json::Parse(text, kMaxRequestChars, doc, why)) return RefuseSession("not JSON (" + why + ")");
  if (!doc.IsObject()) return RefuseSession("not a JSON object");
  if (auto s = NoDuplicateKeys(doc, ""); !s) return s.error();

  SessionRequest out;
  auto amount = RequiredAmount(doc, "amount", "amount");
  if (!amount) return amount.error();
  if (amount->IsZero()) return RefuseSession("amount must be greater than zero");
  out.amount = *amount;
  if (auto s = ReadUnitType(doc, out); !s) return s.error();
  auto currency = RequiredAddress(doc, "currency", "currency");
  if (!currency) return currency.error();
  out.currency = *currency;
  auto recipient = RequiredAddress(doc, "recipient", "recipient");
  if (!recipient) return recipient.error();
  out.recipient = *recipient;
  auto suggested = OptionalAmount(doc, "suggestedDeposit", "suggestedDeposit");
  if (!suggested) return suggested.error();
  out.suggested_deposit = *suggested;
  if (const Value* description = fields::Find(doc, "description")) {
    if (!description->IsString()) return RefuseSession("description must be a string");
    out.description = std::string(description->GetString(), description->GetStringLength());
  }
  if (auto s = ReadSessionDetails(doc, out); !s) return s.error();
  return out;
}

Status CheckSessionOffer(const SessionRequest& request, const crypto::Address& trusted_escrow) {
  if (request.session_protocol != SessionProtocol::kV2) {
    return RefuseSession(
        "the offer is a legacy v1 session (no sessionProtocol \"v2\"); mpp pays only TIP-1034 v2");
  }
  if (request.Escrow() != trusted_escrow) {
    return RefuseSession("escrow " + request.Escrow().ToChecksumHex() + " is not the trusted escrow " +
                         trusted_escrow.ToChecksumHex() +
                         " (--escrow ADDRESS trusts another one, e.g. on a chain you run)");
  }
  return {};
}

}  // namespace mpp::protocol
