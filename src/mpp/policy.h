// The user's limits and preferences, as every intent's judge and the flow read them.
#pragma once

#include <cstdint>
#include <vector>

#include "crypto/address.h"
#include "util/u256.h"

namespace mpp::protocol {

// mpp's own ceiling on the network fee of one self-paid payment, in base units (0.05 token units):
// fifteen times what a Tempo transfer authorizes (about 80,000 gas at 40 gwei, 0.0032), above the
// reference clients' fallback (1,000,000 gas at 41 gwei, 0.041), and mppx's sponsor limit (5e16 wei).
inline constexpr std::uint64_t kDefaultMaxFee = 50'000;

// The user's limits and preferences.
struct PayPolicy {
  std::uint64_t chain_id = 0;                         // the chosen network's (or --chain-id)
  U256 max_amount;                                    // per-call cap, base units, fees included
  U256 max_fee = kDefaultMaxFee;                      // ceiling on the fee of one payment, base units
  std::vector<crypto::Address> known_currencies;      // the network's stablecoins
  std::vector<crypto::Address> preferred_currencies;  // --currency, in the user's order; also allowed
  std::vector<crypto::Address> excluded_currencies;   // --exclude-currency
};

}  // namespace mpp::protocol
