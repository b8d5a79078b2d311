// The `request` of a tempo/charge challenge: what to pay, to whom, in which token, on which chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/address.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

// The spec's default when methodDetails.chainId is absent (Tempo testnet, moderato).
inline constexpr std::uint64_t kDefaultChargeChainId = 42431;
// Servers SHOULD stay within 10 splits (mppx enforces it); more would make the payer fund the gas of
// arbitrarily many transfers, so the client refuses them.
inline constexpr std::size_t kMaxSplits = 10;

// How a non-zero charge reaches the chain: the server broadcasts the signed transaction ("pull",
// credential type "transaction") or the client does and sends the hash ("push", type "hash").
enum class ChargeMode { kPull, kPush };

struct ChargeSplit {
  U256 amount;  // > 0
  crypto::Address recipient;
  std::optional<Hash32> memo;
};

struct ChargeRequest {
  U256 amount;  // base units; "0" means a zero-amount charge, paid with a proof
  crypto::Address currency;
  crypto::Address recipient;
  std::optional<std::string> description;  // server text: print through DisplayText
  std::optional<std::string> external_id;
  std::uint64_t chain_id = kDefaultChargeChainId;
  bool fee_payer = false;
  std::optional<Hash32> memo;
  std::vector<ChargeSplit> splits;  // sum of amounts strictly below `amount`
  // The modes the server listed, known ones only, without repeats; empty when it listed none,
  // which means both.
  std::vector<ChargeMode> supported_modes;

  // True when the server accepts `mode` (always true when it did not say).
  bool SupportsMode(ChargeMode mode) const;
  // What the primary recipient receives: amount minus the splits.
  U256 PrimaryAmount() const;
};

// Decodes a challenge's `request` (unpadded base64url of JSON) as a tempo/charge request. Refuses,
// naming the field: amount not a JSON string of plain decimal digits (no numbers, signs, exponents,
// leading zeros); currency or recipient not a 0x address (mixed case must be EIP-55 valid); wrong types;
// chainId not a positive integer; feePayer not a boolean (the spec, mpp-rs and mpp-go say boolean; a
// server-side fee-payer URL or account never reaches the wire as anything but `true`); memo not 32 bytes
// of hex; splits empty, longer than kMaxSplits, with a zero amount, or summing to amount or more;
// supportedModes empty or naming no known mode; duplicate keys; input over kMaxRequestChars. Unknown
// fields are ignored; null counts as absent, and so does an empty memo string (as mppx and mpp-rs
// read it). Errors are kPaymentRefusedLocally.
Result<ChargeRequest> DecodeChargeRequest(std::string_view request_base64url);

}  // namespace mpp::protocol
