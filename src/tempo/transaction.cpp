#include "tempo/transaction.h"

#include "crypto/keccak.h"
#include "tempo/rlp.h"

namespace mpp::tempo {
namespace {

// What goes in slots 10 (feeToken) and 11 (fee payer) of a serialization.
enum class FeeSlots {
  kAsHeld,           // the value's fee token and fee-payer slot
  kSenderSponsored,  // 0x80 and the 0x00 marker: the sender's preimage in fee-payer mode
};

void AddOptionalUint(RlpList& list, const std::optional<std::uint64_t>& value) {
  if (value) {
    list.AddUint(*value);
  } else {
    list.AddBytes({});
  }
}

void AddOptionalAddress(RlpList& list, const std::optional<crypto::Address>& address) {
  if (address) {
    list.AddBytes(address->bytes);
  } else {
    list.AddBytes({});
  }
}

// chainId .. validAfter: the ten fields every form shares.
RlpList CommonFields(const TempoTransaction& tx) {
  RlpList list;
  list.AddUint(tx.chain_id)
      .AddUint(tx.max_priority_fee_per_gas)
      .AddUint(tx.max_fee_per_gas)
      .AddUint(tx.gas_limit);
  RlpList calls;
  for (const Call& call : tx.calls) {
    RlpList item;
    item.AddBytes(call.to.bytes).AddUint(call.value).AddBytes(call.input);
    calls.AddList(item);
  }
  list.AddList(calls);
  RlpList access_list;
  for (const AccessListEntry& entry : tx.access_list) {
    RlpList keys;
    for (const Hash32& key : entry.storage_keys) keys.AddBytes(key);
    RlpList item;
    item.AddBytes(entry.address.bytes).AddList(keys);
    access_list.AddList(item);
  }
  list.AddList(access_list);
  list.AddUint(tx.nonce_key).AddUint(tx.nonce);
  AddOptionalUint(list, tx.valid_before);
  AddOptionalUint(list, tx.valid_after);
  return list;
}

void AddFeeSlots(RlpList& list, const TempoTransaction& tx, FeeSlots slots) {
  if (slots == FeeSlots::kSenderSponsored) {
    static constexpr std::uint8_t kMarker[] = {0x00};
    list.AddBytes({}).AddBytes(kMarker);
    return;
  }
  AddOptionalAddress(list, tx.fee_token);
  if (tx.fee_payer_signature) {
    const crypto::RecoverableSignature& sig = *tx.fee_payer_signature;
    RlpList signature;
    signature.AddUint(static_cast<std::uint64_t>(sig.recovery_id))
        .AddUint(*U256::FromBigEndian(sig.r))
        .AddUint(*U256::FromBigEndian(sig.s));
    list.AddList(signature);
  } else if (tx.fee_payer_requested) {
    static constexpr std::uint8_t kMarker[] = {0x00};
    list.AddBytes(kMarker);
  } else {
    list.AddBytes({});
  }
}

// aaAuthorizationList, then keyAuthorization only when present.
void AddTail(RlpList& list, const TempoTransaction& tx) {
  RlpList authorizations;
  for (const Bytes& item : tx.aa_authorization_list) authorizations.AddRaw(item);
  list.AddList(authorizations);
  if (tx.key_authorization) list.AddRaw(*tx.key_authorization);
}

Bytes Typed(std::uint8_t type, const RlpList& list) {
  Bytes out{type};
  Append(out, list.Encode());
  return out;
}

RlpList UnsignedFields(const TempoTransaction& tx, FeeSlots slots) {
  RlpList list = CommonFields(tx);
  AddFeeSlots(list, tx, slots);
  AddTail(list, tx);
  return list;
}

RlpList FeePayerFields(const TempoTransaction& tx, const crypto::Address& sender) {
  RlpList list = CommonFields(tx);
  AddOptionalAddress(list, tx.fee_token);
  list.AddBytes(sender.bytes);
  AddTail(list, tx);
  return list;
}

}  // namespace

Bytes UnsignedSerialization(const TempoTransaction& tx) {
  return Typed(kTempoTxType, UnsignedFields(tx, FeeSlots::kAsHeld));
}

Bytes SenderSigningPreimage(const TempoTransaction& tx) {
  return Typed(kTempoTxType,
               UnsignedFields(tx, tx.IsSponsored() ? FeeSlots::kSenderSponsored : FeeSlots::kAsHeld));
}

Hash32 SenderSigningHash(const TempoTransaction& tx) {
  return crypto::Keccak256Hash(SenderSigningPreimage(tx));
}

const crypto::RecoverableSignature& SignAsSender(TempoTransaction& tx, const crypto::PrivateKey& key) {
  tx.sender_signature = crypto::SignHash(SenderSigningHash(tx), key);
  return *tx.sender_signature;
}

Bytes SignedRaw(const TempoTransaction& tx) {
  RlpList list = UnsignedFields(tx, FeeSlots::kAsHeld);
  list.AddBytes(tx.sender_signature.value().ToRsv());
  return Typed(kTempoTxType, list);
}

Hash32 TxHash(ByteView raw) { return crypto::Keccak256Hash(raw); }

Bytes FeePayerEnvelope0x78(const TempoTransaction& tx, const crypto::Address& sender) {
  RlpList list = FeePayerFields(tx, sender);
  list.AddBytes(tx.sender_signature.value().ToRsv());
  return Typed(kFeePayerMagic, list);
}

Bytes FeePayerSigningPreimage(const TempoTransaction& tx, const crypto::Address& sender) {
  return Typed(kFeePayerMagic, FeePayerFields(tx, sender));
}

Hash32 FeePayerSigningHash(const TempoTransaction& tx, const crypto::Address& sender) {
  return crypto::Keccak256Hash(FeePayerSigningPreimage(tx, sender));
}

const crypto::RecoverableSignature& SignAsFeePayer(TempoTransaction& tx, const crypto::Address& sender,
                                                   const crypto::PrivateKey& fee_payer_key) {
  tx.fee_payer_signature = crypto::SignHash(FeePayerSigningHash(tx, sender), fee_payer_key);
  return *tx.fee_payer_signature;
}

}  // namespace mpp::tempo
