// The `request` of a tempo/session challenge (TIP-1034 payment channels): the price of one unit, the
// payee and token of the channel, and the escrow the server expects (SESSION.md 2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

// Which channel protocol the offer is for. 0.11 servers always say "v2"; absent means legacy v1
// (TempoStreamChannel, a different escrow and voucher domain), which mpp does not implement.
enum class SessionProtocol { kLegacyV1, kV2 };

// unitType is a label ("token", "request"); anything longer is not a label.
inline constexpr std::size_t kMaxUnitTypeChars = 64;

struct SessionRequest {
  U256 amount;                // base units per unit, > 0, within uint96
  std::string unit_type;      // non-empty, at most kMaxUnitTypeChars; server text: print via DisplayText
  crypto::Address currency;   // becomes descriptor.token
  crypto::Address recipient;  // becomes descriptor.payee
  std::optional<U256> suggested_deposit;   // within uint96
  std::optional<std::string> description;  // server text: print via DisplayText
  // methodDetails
  std::optional<std::uint64_t> chain_id;           // > 0; mppx 0.11 always sends it
  std::optional<crypto::Address> escrow_contract;  // absent: the canonical escrow (as mppx reads it)
  SessionProtocol session_protocol = SessionProtocol::kLegacyV1;
  bool fee_payer = false;  // the server co-signs and pays the gas of open and topUp
  std::optional<crypto::Address> fee_token;
  std::optional<crypto::Address> operator_address;  // copied into descriptor.operator (else zero)
  U256 min_voucher_delta;                           // 0 when absent; within uint96
  std::optional<Hash32> channel_id;                 // a channel the server suggests resuming
  bool has_session_snapshot = false;                // present but not decoded (SESSION.md 6.7)

  // escrow_contract, or tempo::kChannelEscrow when absent.
  crypto::Address Escrow() const;
};

// Decodes a challenge's `request` (unpadded base64url of JSON) as a tempo/session request. Refuses
// (kPaymentRefusedLocally), naming the field: input over kMaxRequestChars, not base64url JSON of an
// object, duplicate keys (top level or methodDetails); amount missing, zero, not a decimal string or
// above uint96; unitType missing, empty, too long or not a string; currency or recipient missing or not
// an address (mixed case must be EIP-55 valid); suggestedDeposit or minVoucherDelta not a uint96
// decimal string; methodDetails not an object; chainId not a positive integer; escrowContract,
// feeToken or operator not an address; sessionProtocol other than "v1" or "v2"; feePayer not a
// boolean; channelId not 0x + 64 hex. Null counts as absent; unknown fields are ignored.
Result<SessionRequest> DecodeSessionRequest(std::string_view request_base64url);

// The client's trust decision on a decoded offer: refuses (kPaymentRefusedLocally) a legacy v1 offer
// and an escrow other than `trusted_escrow` (normally tempo::kChannelEscrow; another one only when
// the user allowed it explicitly).
Status CheckSessionOffer(const SessionRequest& request, const crypto::Address& trusted_escrow);

}  // namespace mpp::protocol
