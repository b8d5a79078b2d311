#include "wallet/budget.h"

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

#include "util/amount.h"

namespace mpp::wallet {

U256 SpentInWindow(const std::vector<JournalRecord>& records, std::int64_t now,
                   std::optional<std::uint64_t> chain_id) {
  // What the chain said about a payment: the last failed record, or settled record with the fee paid.
  std::unordered_map<std::string, const JournalRecord*> chain_says;
  std::unordered_map<std::string, std::uint64_t> chain_of;  // a payment's chain, for its vouchers and top-ups
  for (const JournalRecord& record : records) {
    if (record.type == RecordType::kSigned) chain_of[record.payment_id] = record.chain_id;
    if (record.type == RecordType::kFailed || (record.type == RecordType::kSettled && record.fee_paid)) {
      chain_says[record.payment_id] = &record;
    }
  }
  const std::int64_t since = now - kBudgetWindowSeconds;
  // The latest believable stamp so far: every record after it was written no earlier. A stamp in the
  // future proves nothing about the records after it (that clock was wrong, or this one is), so it
  // counts for its own record only.
  std::int64_t floor = std::numeric_limits<std::int64_t>::min();
  U256 spent;
  for (const JournalRecord& record : records) {
    if (record.time <= now) floor = std::max(floor, record.time);
    if (record.latest && *record.latest <= now) floor = std::max(floor, *record.latest);
    if (record.type == RecordType::kVoucher || record.type == RecordType::kTopUp) {
      // What a metered answer committed after its credential: a voucher's increment can be claimed, a
      // top-up's fee can be burnt; the deposit it adds is locked, not spent. Counted like a signed
      // record, on its payment's chain (on every chain when that record is out of reach).
      if (std::max(record.time, floor) <= since) continue;
      const auto chain = chain_of.find(record.payment_id);
      if (chain_id && chain != chain_of.end() && chain->second != *chain_id) continue;
      spent = U256::SaturatingAdd(spent, U256::SaturatingAdd(record.amount, record.fee));
      continue;
    }
    if (record.type == RecordType::kClose) {
      // A forced close's own transactions (requestClose, withdraw) paid a fee; a refund is not income.
      if (!record.fee_paid || std::max(record.time, floor) <= since) continue;
      if (chain_id && record.chain_id != *chain_id) continue;
      spent = U256::SaturatingAdd(spent, *record.fee_paid);
      continue;
    }
    if (record.type != RecordType::kSigned) continue;
    if (std::max(record.time, floor) <= since) continue;
    if (chain_id && record.chain_id != *chain_id) continue;
    const auto said = chain_says.find(record.payment_id);
    const JournalRecord* verdict = said == chain_says.end() ? nullptr : said->second;
    if (verdict != nullptr && verdict->type == RecordType::kFailed) {
      spent = U256::SaturatingAdd(spent, verdict->fee_paid.value_or(U256()));
      continue;
    }
    const U256 fee = verdict != nullptr ? *verdict->fee_paid : record.fee;
    spent = U256::SaturatingAdd(spent, U256::SaturatingAdd(record.amount, fee));
  }
  return spent;
}

Status CheckDailyBudget(const DailyBudget& budget, const U256& spent, const U256& amount) {
  const U256 total = U256::SaturatingAdd(spent, amount);
  if (total <= budget.limit) return {};
  const U256 left = spent < budget.limit ? *U256::CheckedSub(budget.limit, spent) : U256();
  return MakeError(
      ErrorKind::kPaymentRefusedLocally,
      "over the daily budget: this payment of " + FormatTokenAmount(amount) +
          " (network fee included) would bring the last " + "24 hours' spending to " +
          FormatTokenAmount(total) + ", above the daily limit of " + FormatTokenAmount(budget.limit) + "; " +
          FormatTokenAmount(left) +
          " left today. Nothing was paid; raise the limit with --daily-limit, MPP_DAILY_LIMIT or "
          "budget.daily in the config");
}

}  // namespace mpp::wallet
