// `mpp chat --batch --budget X`: one spending ceiling shared by a batch's workers, and the ledger that
// holds every payment of the batch to it before the payment leaves.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "mpp/ledger.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::cli {

// What a batch may commit in all, in base units: amounts plus the most each network fee can be. Every
// payment reserves its worst case before it is sent; the unused part of a fee comes back once the
// chain says what the fee was. Thread-safe: the workers of one batch share one.
class BatchBudget {
 public:
  // `limit` in base units; `flag_text` is how the user gave it ("0.05"), for messages.
  BatchBudget(U256 limit, std::string flag_text);

  // Reserves `worst` when it fits in what is left. Otherwise reserves nothing, marks the budget spent
  // (no further line starts) and returns kPaymentRefusedLocally saying what was asked and what is left.
  Status Reserve(const U256& worst);
  // Gives back `unused` of an earlier reservation (never more than is committed).
  void Release(const U256& unused);
  // Refuses (kPaymentRefusedLocally, marking the budget spent) an amount that cannot fit even before
  // its fee is known; reserves nothing either way.
  Status CheckFits(const U256& amount);

  U256 limit() const { return limit_; }
  U256 committed() const;
  U256 remaining() const;
  // True once a payment was refused for lack of budget: the batch starts no further line.
  bool spent() const;
  // The skip reason of a line not run because the budget is spent.
  std::string SkipReason() const;

 private:
  Error Refused(const U256& asked, bool with_fee);  // with mutex_ held

  mutable std::mutex mutex_;
  U256 limit_;
  std::string flag_text_;
  U256 committed_;
  bool spent_ = false;
};

// A ledger that reserves each payment's amount + fee (and each voucher's or top-up's) in `budget`
// before `inner` records it, and refuses it (kPaymentRefusedLocally, nothing recorded) when it does not
// fit. A payment never sent gives its reservation back; a settled one whose fee the chain reported
// gives back the unused part of its fee bound. Everything else is passed to `inner` unchanged. One per
// worker (not thread-safe itself); `inner` and `budget` must outlive it.
class BudgetedLedger : public protocol::PaymentLedger {
 public:
  BudgetedLedger(protocol::PaymentLedger& inner, BatchBudget& budget) : inner_(inner), budget_(budget) {}

  Result<std::string> RecordSigned(const protocol::PaymentRecord& record) override;
  Status RecordIncrement(const std::string& id, const protocol::PaymentIncrement& increment) override;
  void RecordSettled(const std::string& id, std::string_view receipt_reference) override;
  void RecordRefused(const std::string& id, std::string_view problem) override;
  void RecordUnknown(const std::string& id, std::string_view reason) override;
  void RecordSettledWithoutReceipt(const std::string& id, std::string_view tx_hash) override;
  void RecordSettledWithFee(const std::string& id, std::string_view receipt_reference,
                            const U256& fee_paid) override;
  void RecordSettledWithNote(const std::string& id, std::string_view reference, bool from_receipt,
                             const std::optional<U256>& fee_paid, std::string_view note) override;
  void RecordUndelivered(const std::string& id, const protocol::UndeliveredOutcome& outcome) override;

 private:
  struct Reserved {
    U256 amount;
    U256 fee;
  };
  // Gives back the fee bound beyond `fee_paid` (what the chain's receipt said).
  void SettleFee(const std::string& id, const U256& fee_paid);

  protocol::PaymentLedger& inner_;
  BatchBudget& budget_;
  std::map<std::string, Reserved> reserved_;  // by payment id, until its outcome
};

}  // namespace mpp::cli
