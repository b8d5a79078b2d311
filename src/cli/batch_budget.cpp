#include "cli/batch_budget.h"

#include "util/amount.h"

namespace mpp::cli {
namespace {

// What a payment record can cost the batch at most: its amount plus the most its fee can be.
U256 ReservedWorstCase(const U256& amount, const U256& fee) { return U256::SaturatingAdd(amount, fee); }

}  // namespace

BatchBudget::BatchBudget(U256 limit, std::string flag_text)
    : limit_(limit), flag_text_(std::move(flag_text)) {}

Error BatchBudget::Refused(const U256& asked, bool with_fee) {
  spent_ = true;
  const U256 left = U256::CheckedSub(limit_, committed_).value_or(U256());
  const std::string cost = with_fee ? "it could cost up to " + FormatTokenAmount(asked) + " with its fee"
                                    : "its price is " + FormatTokenAmount(asked) + " before any fee";
  return MakeError(ErrorKind::kPaymentRefusedLocally,
                   "the batch budget (--budget " + flag_text_ + ") refuses this call: " + cost +
                       " and only " + FormatTokenAmount(left) + " is left; nothing was paid");
}

Status BatchBudget::Reserve(const U256& worst) {
  std::lock_guard lock(mutex_);
  auto total = U256::CheckedAdd(committed_, worst);
  if (!total || *total > limit_) return Refused(worst, /*with_fee=*/true);
  committed_ = *total;
  return {};
}

void BatchBudget::Release(const U256& unused) {
  std::lock_guard lock(mutex_);
  committed_ = U256::CheckedSub(committed_, unused).value_or(U256());
}

Status BatchBudget::CheckFits(const U256& amount) {
  std::lock_guard lock(mutex_);
  auto total = U256::CheckedAdd(committed_, amount);
  if (!total || *total > limit_) return Refused(amount, /*with_fee=*/false);
  return {};
}

U256 BatchBudget::committed() const {
  std::lock_guard lock(mutex_);
  return committed_;
}

U256 BatchBudget::remaining() const {
  std::lock_guard lock(mutex_);
  return U256::CheckedSub(limit_, committed_).value_or(U256());
}

bool BatchBudget::spent() const {
  std::lock_guard lock(mutex_);
  return spent_;
}

std::string BatchBudget::SkipReason() const {
  return "skipped: the batch budget (--budget " + flag_text_ +
         ") is spent: " + FormatTokenAmount(committed()) +
         " paid or reserved with fees, so mpp started no further call";
}

Result<std::string> BudgetedLedger::RecordSigned(const protocol::PaymentRecord& record) {
  const U256 worst = ReservedWorstCase(record.amount, record.fee);
  if (auto fits = budget_.Reserve(worst); !fits) return fits.error();
  auto id = inner_.RecordSigned(record);
  if (!id) {
    budget_.Release(worst);
    return id.error();
  }
  reserved_[*id] = Reserved{record.amount, record.fee};
  return *id;
}

Status BudgetedLedger::RecordIncrement(const std::string& id, const protocol::PaymentIncrement& increment) {
  const U256 worst = ReservedWorstCase(increment.amount, increment.fee);
  if (auto fits = budget_.Reserve(worst); !fits) return fits;
  auto recorded = inner_.RecordIncrement(id, increment);
  if (!recorded) budget_.Release(worst);
  return recorded;
}

void BudgetedLedger::SettleFee(const std::string& id, const U256& fee_paid) {
  auto it = reserved_.find(id);
  if (it == reserved_.end()) return;
  if (fee_paid < it->second.fee) budget_.Release(*U256::CheckedSub(it->second.fee, fee_paid));
  reserved_.erase(it);
}

void BudgetedLedger::RecordSettled(const std::string& id, std::string_view receipt_reference) {
  reserved_.erase(id);
  inner_.RecordSettled(id, receipt_reference);
}

void BudgetedLedger::RecordRefused(const std::string& id, std::string_view problem) {
  // Only a payment the flow never sent ("not sent: ...", its credential could not be built) is known
  // to cost nothing; a refusal after sending keeps its worst case, as the daily budget does.
  auto it = reserved_.find(id);
  if (it != reserved_.end()) {
    if (problem.starts_with("not sent: "))
      budget_.Release(ReservedWorstCase(it->second.amount, it->second.fee));
    reserved_.erase(it);
  }
  inner_.RecordRefused(id, problem);
}

void BudgetedLedger::RecordUnknown(const std::string& id, std::string_view reason) {
  reserved_.erase(id);
  inner_.RecordUnknown(id, reason);
}

void BudgetedLedger::RecordSettledWithoutReceipt(const std::string& id, std::string_view tx_hash) {
  reserved_.erase(id);
  inner_.RecordSettledWithoutReceipt(id, tx_hash);
}

void BudgetedLedger::RecordSettledWithFee(const std::string& id, std::string_view receipt_reference,
                                          const U256& fee_paid) {
  SettleFee(id, fee_paid);
  inner_.RecordSettledWithFee(id, receipt_reference, fee_paid);
}

void BudgetedLedger::RecordSettledWithNote(const std::string& id, std::string_view reference,
                                           bool from_receipt, const std::optional<U256>& fee_paid,
                                           std::string_view note) {
  if (from_receipt && fee_paid) {
    SettleFee(id, *fee_paid);
  } else {
    reserved_.erase(id);
  }
  inner_.RecordSettledWithNote(id, reference, from_receipt, fee_paid, note);
}

void BudgetedLedger::RecordUndelivered(const std::string& id, const protocol::UndeliveredOutcome& outcome) {
  reserved_.erase(id);
  inner_.RecordUndelivered(id, outcome);
}

}  // namespace mpp::cli
