// The user's limits and preferences, as every intent's judge and the flow read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/address.h"
#include "tempo/channel.h"
#include "util/u256.h"

namespace mpp::protocol {

// mpp's own ceiling on the network fee of one self-paid payment, in base units (0.05 token units):
// fifteen times what a Tempo transfer authorizes (about 80,000 gas at 40 gwei, 0.0032), above the
// reference clients' fallback (1,000,000 gas at 41 gwei, 0.041), and mppx's sponsor limit (5e16 wei).
inline constexpr std::uint64_t kDefaultMaxFee = 50'000;
// The most one payment channel locks unless the user says otherwise: 1.00 token unit.
inline constexpr std::uint64_t kDefaultMaxDeposit = 1'000'000;

// Which intent pays when a server offers several (--intent).
enum class IntentChoice {
  kAuto,     // a charge when one is payable, else a session
  kCharge,   // charge offers only
  kSession,  // session offers only
};

// The user's limits and preferences.
struct PayPolicy {
  std::uint64_t chain_id = 0;                         // the chosen network's (or --chain-id)
  U256 max_amount;                                    // per-call cap, base units, fees included
  U256 max_fee = kDefaultMaxFee;                      // ceiling on the fee of one payment, base units
  std::vector<crypto::Address> known_currencies;      // the network's stablecoins
  std::vector<crypto::Address> preferred_currencies;  // --currency, in the user's order; also allowed
  std::vector<crypto::Address> excluded_currencies;   // --exclude-currency
  // Which intent may pay; for sessions (payment channels), the most one channel may lock and the
  // escrow mpp trusts.
  IntentChoice intent = IntentChoice::kAuto;
  U256 max_deposit = kDefaultMaxDeposit;
  crypto::Address trusted_escrow = tempo::kChannelEscrow;
};

// What an intent's judge says of one challenge: its terms once its request decoded, whether mpp may
// pay it, and why not (or how it would pay).
template <class Terms>
struct Judgement {
  std::optional<Terms> terms;
  bool acceptable = false;
  std::string reason;
};

// Why a payment of `currency` to `recipient` on `chain_id` may not be made under `policy` (another
// chain than the chosen one, an excluded or unknown token, the zero address), or empty when it may.
std::string PayeeRefusal(std::uint64_t chain_id, const crypto::Address& currency,
                         const crypto::Address& recipient, const PayPolicy& policy);

}  // namespace mpp::protocol
