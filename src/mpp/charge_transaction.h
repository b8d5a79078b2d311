// Turning a chosen tempo/charge challenge into the Tempo transaction that pays it (PROTOCOL.md 5.4).
#pragma once

#include <cstdint>

#include "crypto/address.h"
#include "mpp/challenge.h"
#include "mpp/charge_request.h"
#include "tempo/transaction.h"

namespace mpp::protocol {

struct FeeValues {
  std::uint64_t gas_limit = tempo::kDefaultGasLimit;
  U256 max_fee_per_gas = tempo::kDefaultMaxFeePerGas;
  U256 max_priority_fee_per_gas = tempo::kDefaultMaxPriorityFeePerGas;
};

// The memo of the transfer to the recipient: the request's memo, else the attribution memo bound to
// realm and challenge id (PROTOCOL.md 5.4).
Hash32 ChargeMemo(const Challenge& challenge, const ChargeRequest& request);

// The unsigned transaction: one transferWithMemo to the recipient for amount minus splits, one per
// split; the request's memo, or else the attribution memo bound to realm and challenge id; the
// expiring nonce with validBefore = min(now + 25 s, expires); fee token = the currency unless the
// server pays fees (then the 0x00 marker and no fee token).
tempo::TempoTransaction BuildChargeTransaction(const Challenge& challenge, const ChargeRequest& request,
                                               const FeeValues& fees, std::int64_t now);

inline constexpr std::int64_t kValidityWindowSeconds = 25;

}  // namespace mpp::protocol
