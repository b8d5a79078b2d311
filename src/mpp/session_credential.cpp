#include "mpp/session_credential.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "mpp/credential.h"
#include "util/hex.h"
#include "util/json_writer.h"

namespace mpp::protocol {
namespace {

Error SessionBug(const std::string& what) {
  return MakeError(ErrorKind::kUnexpected, "session credential: " + what);
}

void PutDescriptor(json::Writer& w, const tempo::ChannelDescriptor& d) {
  w.Key("descriptor");
  w.StartObject();
  json::WriteField(w, "payer", d.payer.ToChecksumHex());
  json::WriteField(w, "payee", d.payee.ToChecksumHex());
  json::WriteField(w, "operator", d.operator_address.ToChecksumHex());
  json::WriteField(w, "token", d.token.ToChecksumHex());
  json::WriteField(w, "salt", ToHex(d.salt));
  json::WriteField(w, "authorizedSigner", d.authorized_signer.ToChecksumHex());
  json::WriteField(w, "expiringNonceHash", ToHex(d.expiring_nonce_hash));
  w.EndObject();
}

const char* ActionName(SessionAction action) {
  switch (action) {
    case SessionAction::kOpen:
      return "open";
    case SessionAction::kTopUp:
      return "topUp";
    case SessionAction::kVoucher:
      return "voucher";
    case SessionAction::kClose:
      return "close";
  }
  return "voucher";
}

bool CarriesTransaction(SessionAction action) {
  return action == SessionAction::kOpen || action == SessionAction::kTopUp;
}

SessionPayload VoucherLike(SessionAction action, const tempo::ChannelDescriptor& descriptor,
                           const Hash32& channel_id, const U256& cumulative_amount,
                           const tempo::VoucherSignature& signature) {
  SessionPayload p;
  p.action = action;
  p.channel_id = channel_id;
  p.descriptor = descriptor;
  p.cumulative_amount = cumulative_amount;
  p.signature = signature;
  return p;
}

}  // namespace

SessionPayload OpenPayload(const tempo::SignedOpen& open, const U256& cumulative_amount,
                           const tempo::VoucherSignature& signature) {
  SessionPayload p =
      VoucherLike(SessionAction::kOpen, open.descriptor, open.channel_id, cumulative_amount, signature);
  p.transaction = open.transaction.credential_bytes;
  return p;
}

SessionPayload TopUpPayload(const tempo::ChannelDescriptor& descriptor, const Hash32& channel_id,
                            const tempo::SignedEscrowTransaction& top_up, const U256& additional_deposit) {
  SessionPayload p;
  p.action = SessionAction::kTopUp;
  p.channel_id = channel_id;
  p.descriptor = descriptor;
  p.transaction = top_up.credential_bytes;
  p.additional_deposit = additional_deposit;
  return p;
}

SessionPayload VoucherPayload(const tempo::ChannelDescriptor& descriptor, const Hash32& channel_id,
                              const U256& cumulative_amount, const tempo::VoucherSignature& signature) {
  return VoucherLike(SessionAction::kVoucher, descriptor, channel_id, cumulative_amount, signature);
}

SessionPayload ClosePayload(const tempo::ChannelDescriptor& descriptor, const Hash32& channel_id,
                            const U256& cumulative_amount, const tempo::VoucherSignature& signature) {
  return VoucherLike(SessionAction::kClose, descriptor, channel_id, cumulative_amount, signature);
}

std::string SessionPayloadJson(const SessionPayload& p) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::WriteField(w, "action", ActionName(p.action));
  if (CarriesTransaction(p.action)) json::WriteField(w, "type", "transaction");
  json::WriteField(w, "channelId", ToHex(p.channel_id));
  if (CarriesTransaction(p.action)) json::WriteField(w, "transaction", ToHex(p.transaction));
  if (p.action == SessionAction::kOpen) json::WriteField(w, "signature", ToHex(p.signature));
  PutDescriptor(w, p.descriptor);
  if (p.action == SessionAction::kTopUp) {
    json::WriteField(w, "additionalDeposit", p.additional_deposit.ToDecimal());
  } else {
    json::WriteField(w, "cumulativeAmount", p.cumulative_amount.ToDecimal());
  }
  if (p.action == SessionAction::kOpen)
    json::WriteField(w, "authorizedSigner", p.descriptor.authorized_signer.ToChecksumHex());
  if (p.action == SessionAction::kVoucher || p.action == SessionAction::kClose)
    json::WriteField(w, "signature", ToHex(p.signature));
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<std::string> BuildSessionCredential(const Challenge& challenge, const SessionPayload& payload,
                                           std::string_view source) {
  if (source.empty()) return SessionBug("a session credential needs a source");
  if (payload.action == SessionAction::kTopUp) {
    if (payload.additional_deposit.IsZero()) return SessionBug("a top-up of zero");
    if (!tempo::FitsUint96(payload.additional_deposit)) return SessionBug("the top-up is above uint96");
  } else if (!tempo::FitsUint96(payload.cumulative_amount)) {
    return SessionBug("the cumulative amount is above uint96");
  }
  if (CarriesTransaction(payload.action)) {
    const Bytes& tx = payload.transaction;
    if (tx.empty() || (tx[0] != tempo::kTempoTxType && tx[0] != tempo::kFeePayerMagic)) {
      return SessionBug("the transaction is not a 0x76 transaction or a 0x78 fee-payer envelope");
    }
  }
  return BuildCredentialEnvelope(challenge, SessionPayloadJson(payload), source);
}

}  // namespace mpp::protocol
