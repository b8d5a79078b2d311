// DecodeSignedTransaction: the strict reader for 0x76 and 0x78 bytes.
#include <algorithm>
#include <string>

#include "crypto/keccak.h"
#include "tempo/rlp.h"
#include "tempo/transaction.h"

namespace mpp::tempo {
namespace {

Error Invalid(std::string what) { return MakeError(ErrorKind::kUsage, "invalid Tempo transaction: " + what); }

// Unwraps a Result into `target`, or returns its error from the enclosing function.
#define MPP_ASSIGN_OR_RETURN(target, expr)     \
  do {                                         \
    auto result_ = (expr);                     \
    if (!result_.ok()) return result_.error(); \
    target = std::move(result_).value();       \
  } while (false)

Result<crypto::Address> ToAddress(const RlpItem& item, std::string_view field) {
  crypto::Address address;
  Bytes bytes;
  MPP_ASSIGN_OR_RETURN(bytes, item.AsFixedBytes(field, address.bytes.size()));
  std::copy(bytes.begin(), bytes.end(), address.bytes.begin());
  return address;
}

Result<std::optional<crypto::Address>> ToOptionalAddress(const RlpItem& item, std::string_view field) {
  if (!item.is_list && item.bytes.empty()) return std::optional<crypto::Address>();
  crypto::Address address;
  MPP_ASSIGN_OR_RETURN(address, ToAddress(item, field));
  return std::optional<crypto::Address>(address);
}

Result<std::optional<std::uint64_t>> ToOptionalUint64(const RlpItem& item, std::string_view field) {
  if (!item.is_list && item.bytes.empty()) return std::optional<std::uint64_t>();
  std::uint64_t value = 0;
  MPP_ASSIGN_OR_RETURN(value, item.AsUint64(field));
  return std::optional<std::uint64_t>(value);
}

Result<std::vector<Call>> ToCalls(const RlpItem& item) {
  if (!item.is_list) return Invalid("calls: expected a list");
  if (item.items.empty()) return Invalid("calls: the list is empty");
  std::vector<Call> calls;
  for (const RlpItem& entry : item.items) {
    if (!entry.is_list || entry.items.size() != 3)
      return Invalid("calls: each call must be [to, value, input]");
    const RlpItem& to = entry.items[0];
    if (!to.is_list && to.bytes.empty()) return Invalid("calls: contract creation is not supported");
    Call call;
    MPP_ASSIGN_OR_RETURN(call.to, ToAddress(to, "call.to"));
    MPP_ASSIGN_OR_RETURN(call.value, entry.items[1].AsUint("call.value"));
    if (entry.items[2].is_list) return Invalid("call.input: expected bytes, found a list");
    call.input = entry.items[2].bytes;
    calls.push_back(std::move(call));
  }
  return calls;
}

Result<std::vector<AccessListEntry>> ToAccessList(const RlpItem& item) {
  if (!item.is_list) return Invalid("accessList: expected a list");
  std::vector<AccessListEntry> entries;
  for (const RlpItem& entry : item.items) {
    if (!entry.is_list || entry.items.size() != 2 || !entry.items[1].is_list) {
      return Invalid("accessList: each entry must be [address, [storageKey, ...]]");
    }
    AccessListEntry out;
    MPP_ASSIGN_OR_RETURN(out.address, ToAddress(entry.items[0], "accessList.address"));
    for (const RlpItem& key : entry.items[1].items) {
      Bytes bytes;
      MPP_ASSIGN_OR_RETURN(bytes, key.AsFixedBytes("accessList.storageKey", 32));
      Hash32 hash{};
      std::copy(bytes.begin(), bytes.end(), hash.begin());
      out.storage_keys.push_back(hash);
    }
    entries.push_back(std::move(out));
  }
  return entries;
}

Result<crypto::RecoverableSignature> ToFeePayerSignature(const RlpItem& item) {
  if (item.items.size() != 3) return Invalid("feePayerSignature: expected [yParity, r, s]");
  std::uint64_t y_parity = 0;
  U256 r;
  U256 s;
  MPP_ASSIGN_OR_RETURN(y_parity, item.items[0].AsUint64("feePayerSignature.yParity"));
  MPP_ASSIGN_OR_RETURN(r, item.items[1].AsUint("feePayerSignature.r"));
  MPP_ASSIGN_OR_RETURN(s, item.items[2].AsUint("feePayerSignature.s"));
  if (y_parity > 1) return Invalid("feePayerSignature: yParity must be 0 or 1");
  Bytes rsv;
  Append(rsv, r.ToBigEndian32());
  Append(rsv, s.ToBigEndian32());
  rsv.push_back(static_cast<std::uint8_t>(y_parity));
  auto sig = crypto::RecoverableSignature::FromRsv(rsv);
  if (!sig) return Invalid("feePayerSignature: r or s out of range");
  return *sig;
}

Result<crypto::RecoverableSignature> ToSenderSignature(const RlpItem& item) {
  if (item.is_list) return Invalid("senderSignature: expected bytes, found a list");
  if (item.bytes.size() != 65) {
    return Invalid("senderSignature of " + std::to_string(item.bytes.size()) +
                   " bytes: only 65-byte secp256k1 signatures are supported");
  }
  auto sig = crypto::RecoverableSignature::FromRsv(item.bytes);
  if (!sig) return Invalid("senderSignature: bad v, r or s");
  return *sig;
}

Result<crypto::Address> Recover(const Hash32& digest, const crypto::RecoverableSignature& sig,
                                std::string_view who) {
  auto key = crypto::RecoverPublicKey(digest, sig);
  if (!key) return Invalid(std::string(who) + " signature does not recover to a public key");
  return crypto::Address::FromPublicKey(*key);
}

}  // namespace

Result<DecodedTransaction> DecodeSignedTransaction(ByteView raw) {
  if (raw.empty()) return Invalid("no bytes");
  bool envelope = raw[0] == kFeePayerMagic;
  if (raw[0] != kTempoTxType && !envelope) return Invalid("type byte is not 0x76 or 0x78");
  RlpItem root;
  MPP_ASSIGN_OR_RETURN(root, RlpDecode(raw.subspan(1)));
  if (!root.is_list) return Invalid("payload is not an RLP list");
  const std::vector<RlpItem>& f = root.items;
  if (f.size() != 14 && f.size() != 15) {
    return Invalid("expected 14 or 15 fields, found " + std::to_string(f.size()));
  }

  DecodedTransaction out;
  out.is_fee_payer_envelope = envelope;
  out.hash = TxHash(raw);
  TempoTransaction& tx = out.tx;
  MPP_ASSIGN_OR_RETURN(tx.chain_id, f[0].AsUint64("chainId"));
  MPP_ASSIGN_OR_RETURN(tx.max_priority_fee_per_gas, f[1].AsUint("maxPriorityFeePerGas"));
  MPP_ASSIGN_OR_RETURN(tx.max_fee_per_gas, f[2].AsUint("maxFeePerGas"));
  MPP_ASSIGN_OR_RETURN(tx.gas_limit, f[3].AsUint64("gasLimit"));
  MPP_ASSIGN_OR_RETURN(tx.calls, ToCalls(f[4]));
  MPP_ASSIGN_OR_RETURN(tx.access_list, ToAccessList(f[5]));
  MPP_ASSIGN_OR_RETURN(tx.nonce_key, f[6].AsUint("nonceKey"));
  MPP_ASSIGN_OR_RETURN(tx.nonce, f[7].AsUint64("nonce"));
  MPP_ASSIGN_OR_RETURN(tx.valid_before, ToOptionalUint64(f[8], "validBefore"));
  MPP_ASSIGN_OR_RETURN(tx.valid_after, ToOptionalUint64(f[9], "validAfter"));
  MPP_ASSIGN_OR_RETURN(tx.fee_token, ToOptionalAddress(f[10], "feeToken"));

  std::optional<crypto::Address> envelope_sender;
  const RlpItem& slot = f[11];
  if (envelope) {
    crypto::Address sender;
    MPP_ASSIGN_OR_RETURN(sender, ToAddress(slot, "sender address of the 0x78 envelope"));
    envelope_sender = sender;
    tx.fee_payer_requested = true;
  } else if (slot.is_list) {
    MPP_ASSIGN_OR_RETURN(tx.fee_payer_signature, ToFeePayerSignature(slot));
  } else if (slot.bytes.size() == 1 && slot.bytes[0] == 0x00) {
    tx.fee_payer_requested = true;
  } else if (!slot.bytes.empty()) {
    return Invalid("feePayerSignature: expected 0x80, the 0x00 marker or [yParity, r, s]");
  }

  if (!f[12].is_list) return Invalid("aaAuthorizationList: expected a list");
  for (const RlpItem& item : f[12].items) {
    if (!item.is_list) return Invalid("aaAuthorizationList: each authorization must be a list");
    tx.aa_authorization_list.push_back(item.encoded);
  }
  if (f.size() == 15) {
    if (!f[13].is_list) return Invalid("keyAuthorization: expected a list");
    tx.key_authorization = f[13].encoded;
  }
  MPP_ASSIGN_OR_RETURN(tx.sender_signature, ToSenderSignature(f.back()));

  MPP_ASSIGN_OR_RETURN(out.sender, Recover(SenderSigningHash(tx), *tx.sender_signature, "sender"));
  if (envelope_sender && *envelope_sender != out.sender) {
    return Invalid("the 0x78 envelope names sender " + envelope_sender->ToChecksumHex() +
                   " but was signed by " + out.sender.ToChecksumHex());
  }
  if (tx.fee_payer_signature) {
    crypto::Address fee_payer;
    MPP_ASSIGN_OR_RETURN(fee_payer,
                         Recover(FeePayerSigningHash(tx, out.sender), *tx.fee_payer_signature, "fee payer"));
    out.fee_payer = fee_payer;
  }
  return out;
}

}  // namespace mpp::tempo

#undef MPP_ASSIGN_OR_RETURN
