#include "wallet/budget.h"

#include <string>

#include "util/amount.h"

namespace mpp::wallet {

namespace {}  // namespace

U256 SpentInWindow(const std::vector<JournalRecord>& records, std::int64_t now,
                   std::optional<std::uint64_t> chain_id) {
  U256 spent;
  for (const JournalRecord& record : records) {
    if (record.type != RecordType::kSigned) continue;
    if (record.time <= now - kBudgetWindowSeconds) continue;
    if (chain_id && record.chain_id != *chain_id) continue;
    spent = U256::SaturatingAdd(spent, record.amount);
  }
  return spent;
}

Status CheckDailyBudget(const DailyBudget& budget, const U256& spent, const U256& amount) {
  const U256 total = U256::SaturatingAdd(spent, amount);
  if (total <= budget.limit) return {};
  const U256 left = spent < budget.limit ? *U256::CheckedSub(budget.limit, spent) : U256();
  return MakeError(
      ErrorKind::kPaymentRefusedLocally,
      "over the daily budget: this payment of " + FormatTokenAmount(amount) + " would bring the last " +
          "24 hours' spending to " + FormatTokenAmount(total) + ", above the daily limit of " +
          FormatTokenAmount(budget.limit) + "; " + FormatTokenAmount(left) +
          " left today. Nothing was paid; raise the limit with --daily-limit, MPP_DAILY_LIMIT or "
          "budget.daily in the config");
}

}  // namespace mpp::wallet
