// The Tempo transaction (EIP-2718 type 0x76), its signing hashes and the fee-payer (0x78) forms.
// PROTOCOL.md section 5 describes every byte.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

inline constexpr std::uint8_t kTempoTxType = 0x76;
inline constexpr std::uint8_t kFeePayerMagic = 0x78;

// Reference-client defaults for an MPP charge (PROTOCOL.md 5.4).
inline constexpr std::uint64_t kDefaultGasLimit = 1'000'000;
inline constexpr std::uint64_t kDefaultMaxFeePerGas = 41'000'000'000;         // 41 gwei
inline constexpr std::uint64_t kDefaultMaxPriorityFeePerGas = 1'000'000'000;  // 1 gwei
// The expiring-nonce scheme: nonceKey = 2^256-1, nonce = 0, validBefore required.
inline U256 ExpiringNonceKey() { return U256::Max(); }

// One call of the batch. Contract creation (an empty `to`) is not representable.
struct Call {
  crypto::Address to;
  U256 value;
  Bytes input;
  friend bool operator==(const Call&, const Call&) = default;
};

struct AccessListEntry {
  crypto::Address address;
  std::vector<Hash32> storage_keys;
  friend bool operator==(const AccessListEntry&, const AccessListEntry&) = default;
};

// Every field of the 0x76 envelope, in wire order. A plain value: build it, sign it, serialize it.
struct TempoTransaction {
  std::uint64_t chain_id = 0;
  U256 max_priority_fee_per_gas;
  U256 max_fee_per_gas;
  std::uint64_t gas_limit = 0;
  std::vector<Call> calls;  // must be non-empty on the wire
  std::vector<AccessListEntry> access_list;
  U256 nonce_key;
  std::uint64_t nonce = 0;
  std::optional<std::uint64_t> valid_before;
  std::optional<std::uint64_t> valid_after;
  std::optional<crypto::Address> fee_token;
  // Sender asks a sponsor to pay fees (the 0x00 marker, PROTOCOL.md 5.2). Set by the sender in
  // fee-payer mode; then fee_token stays empty and the sponsor fills it in.
  bool fee_payer_requested = false;
  // The sponsor's [yParity, r, s]; set by SignAsFeePayer or by decoding a co-signed transaction.
  std::optional<crypto::RecoverableSignature> fee_payer_signature;
  std::vector<Bytes> aa_authorization_list;  // each an RLP-encoded list, kept opaque; we send none
  std::optional<Bytes> key_authorization;    // one RLP-encoded item, kept opaque; omitted when absent
  std::optional<crypto::RecoverableSignature> sender_signature;  // secp256k1 only

  // Fee-payer mode: a sponsor was requested or has signed. Changes the sender's preimage.
  bool IsSponsored() const { return fee_payer_requested || fee_payer_signature.has_value(); }

  friend bool operator==(const TempoTransaction&, const TempoTransaction&) = default;
};

// 0x76 || rlp(first 13 fields, plus keyAuthorization when present) exactly as the value holds them:
// fee token as set, fee-payer slot [yParity, r, s] / 0x00 marker / 0x80. No sender signature.
Bytes UnsignedSerialization(const TempoTransaction& tx);

// What the sender signs. Self-paid: the unsigned serialization. Sponsored: feeToken written as
// 0x80 and the fee-payer slot as 0x00, whatever the value holds.
Bytes SenderSigningPreimage(const TempoTransaction& tx);
Hash32 SenderSigningHash(const TempoTransaction& tx);

// Signs SenderSigningHash with `key` (RFC 6979, low-s) and stores it in tx.sender_signature.
const crypto::RecoverableSignature& SignAsSender(TempoTransaction& tx, const crypto::PrivateKey& key);

// 0x76 || rlp(all fields, senderSignature as r || s || v with v = 27/28).
// Precondition: tx.sender_signature is set (std::bad_optional_access otherwise: a bug).
Bytes SignedRaw(const TempoTransaction& tx);

// keccak256 of raw signed bytes: the hash the node reports.
Hash32 TxHash(ByteView raw);

// The sponsor hand-off envelope that goes in the credential in fee-payer mode (PROTOCOL.md 5.3):
// 0x78 || rlp([..., validAfter, feeToken (as held: 0x80 in fee-payer mode), sender,
// aaAuthorizationList, (keyAuthorization), senderSignature]). Precondition: tx.sender_signature is set.
Bytes FeePayerEnvelope0x78(const TempoTransaction& tx, const crypto::Address& sender);

// What the sponsor signs: 0x78 || rlp([..., validAfter, feeToken, sender, aaAuthorizationList,
// (keyAuthorization)]), with the fee token the sponsor chose in tx.fee_token.
Bytes FeePayerSigningPreimage(const TempoTransaction& tx, const crypto::Address& sender);
Hash32 FeePayerSigningHash(const TempoTransaction& tx, const crypto::Address& sender);

// Sponsor side (tests and local stand-ins): signs FeePayerSigningHash and stores it in
// tx.fee_payer_signature. SignedRaw(tx) is then the co-signed transaction the sponsor broadcasts.
const crypto::RecoverableSignature& SignAsFeePayer(TempoTransaction& tx, const crypto::Address& sender,
                                                   const crypto::PrivateKey& fee_payer_key);

struct DecodedTransaction {
  TempoTransaction tx;
  crypto::Address sender;                    // recovered from the sender signature
  std::optional<crypto::Address> fee_payer;  // recovered from the fee-payer signature, if any
  bool is_fee_payer_envelope = false;        // the input was the 0x78 hand-off envelope
  Hash32 hash{};                             // keccak256 of the input bytes
};

// Decodes a signed 0x76 transaction (self-paid, with the 0x00 marker, or co-signed) or a 0x78
// hand-off envelope, and recovers the signers. Refuses (ErrorKind::kUsage) any other type byte,
// malformed or non-canonical RLP, a wrong field count, empty calls, contract creation, signatures
// that are not 65-byte secp256k1 or do not recover, and a 0x78 envelope whose sender address is
// not the signer. Re-encoding the result (SignedRaw or FeePayerEnvelope0x78) gives the input back,
// except that a v of 0/1 is written back as 27/28.
Result<DecodedTransaction> DecodeSignedTransaction(ByteView raw);

}  // namespace mpp::tempo
