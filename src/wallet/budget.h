// The rolling daily budget (budget.daily): what the journal says was possibly spent in the last 24 hours.
//
// The counting rule: every `signed` record in the window counts its amount plus the most its fees could
// be, whatever its outcome, until the chain says otherwise. A payment is left out only when it is
// positively known not to have moved money, and only the chain knows that: a `failed` record (written
// by `wallet reconcile` when the transaction can no longer land, or reverted) leaves only the fee it
// paid; a `settled` record that carries the fee the receipt reports replaces the fee reserve by it.
// `settled` from a server receipt was paid; `unknown` and a `signed` record without an outcome (in
// flight, or the process died) may have been paid; and `refused` may have been paid too: in pull mode
// the server held a signed transaction it can broadcast until its validBefore, and in push mode the
// transaction was already on its way. Over-counting a refusal costs some headroom for a day;
// under-counting could overspend. A session payment's later `voucher` records count their increment
// and `top-up` records their fee reserve (the deposit a channel locks is not spent). A `close`
// record counts the fee its forced close's transaction paid (what comes back is not income).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "util/error.h"
#include "util/u256.h"
#include "wallet/journal_record.h"

namespace mpp::wallet {

inline constexpr std::int64_t kBudgetWindowSeconds = 24 * 60 * 60;

struct DailyBudget {
  U256 limit;                             // base units of the chain's stablecoins (all have 6 decimals)
  std::optional<std::uint64_t> chain_id;  // count only this chain (testnet spending is not real money);
                                          // nullopt: every chain
};

// Sum of amount + fee of the `signed` records of the last 24 hours, on `chain_id` when set, as the
// counting rule above adjusts them. `records` are in file order, which is the order they were written
// whatever the clock said, so a record counts when its own stamp is later than now - 24 h (a stamp in
// the future counts too), or when any record before it carries such a stamp that is not in the future:
// a clock stepped back cannot hide a payment written after one of today's. `records` must hold the
// later records of those payments too (the journal's tail does). Saturates at 2^256 - 1.
U256 SpentInWindow(const std::vector<JournalRecord>& records, std::int64_t now,
                   std::optional<std::uint64_t> chain_id);

// Ok when spent + amount <= limit (`amount` includes the payment's fee). Otherwise kPaymentRefusedLocally
// (exit 5) saying how much is left today and how to raise the limit.
Status CheckDailyBudget(const DailyBudget& budget, const U256& spent, const U256& amount);

}  // namespace mpp::wallet
