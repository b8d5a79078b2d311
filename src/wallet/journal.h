// The payment journal: payments.jsonl, appended under an exclusive flock and fsynced, so that after a
// crash anywhere it still says what may have been paid. Implements the pay flow's PaymentLedger.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mpp/ledger.h"
#include "util/error.h"
#include "wallet/budget.h"
#include "wallet/file_lock.h"
#include "wallet/journal_record.h"

namespace mpp::wallet {

// The journal's content as far as it could be read.
struct JournalContents {
  std::vector<JournalRecord> records;         // file order
  std::vector<std::size_t> unreadable_lines;  // 1-based numbers of lines that did not parse
  // The last line has no newline and does not parse: a write cut short by a crash. Such a line never
  // stands for a payment, since a credential is sent only after its record is complete and fsynced.
  bool torn_tail = false;
};

// Splits `content` into lines and parses each; never fails (see JournalContents). Pure.
JournalContents ParseJournal(std::string_view content);

// The largest journal mpp reads (a budget check reads it whole): about a million payments.
inline constexpr std::size_t kMaxJournalBytes = std::size_t{512} << 20;

class Journal : public protocol::PaymentLedger {
 public:
  using Clock = std::function<std::int64_t()>;

  // `file` is the journal (Paths::JournalFile()); its directory is created 0700 and the file 0600 when
  // first written. `budget` is budget.daily, or nullopt for none. `clock` gives UNIX seconds.
  explicit Journal(std::filesystem::path file, std::optional<DailyBudget> budget = std::nullopt,
                   Clock clock = nullptr);

  const std::filesystem::path& file() const { return file_; }

  // What the payments this journal records from now on are for: kept on their `signed` records.
  void SetTags(PaymentTags tags) { tags_ = std::move(tags); }

  // Under the exclusive lock: refuses a challenge id this realm already has a `signed` record for,
  // checks budget.daily against the journal, then appends the `signed` record and fsyncs it, so
  // parallel invocations can neither overspend together nor pay one challenge twice. Reads only the
  // journal's last day or so. Returns the new payment id. kChallengeAlreadyPaid or
  // kPaymentRefusedLocally (over the budget) with nothing written; kWallet for I/O errors. On any
  // error the credential must not be sent.
  Result<std::string> RecordSigned(const protocol::PaymentRecord& payment) override;
  // Under the same lock: checks budget.daily against the journal counting the increment (a voucher's
  // amount, a top-up's fee), then appends the `voucher` or `top-up` record and fsyncs it. Refuses
  // (kWallet) an id with no `signed` record in the journal's last day; kPaymentRefusedLocally over the
  // budget; nothing is written on error, and the voucher or top-up must not be sent.
  Status RecordIncrement(const std::string& id, const protocol::PaymentIncrement& increment) override;

  // Outcome records. Failures are reported as warnings (the payment has happened either way).
  void RecordSettled(const std::string& id, std::string_view receipt_reference) override;
  // RecordSettled with "fee_paid" (the receipt of a pushed transaction said it).
  void RecordSettledWithFee(const std::string& id, std::string_view receipt_reference,
                            const U256& fee_paid) override;
  void RecordRefused(const std::string& id, std::string_view problem) override;
  void RecordUnknown(const std::string& id, std::string_view reason) override;
  // A `settled` record with reference_source "signed transaction" (the hash), or "unknown" and no
  // reference when `tx_hash` is empty. RecordSettled writes reference_source "receipt".
  void RecordSettledWithoutReceipt(const std::string& id, std::string_view tx_hash) override;
  // Any of the three above (`fee_paid` when the chain reported it), with `note` kept in the record.
  void RecordSettledWithNote(const std::string& id, std::string_view reference, bool from_receipt,
                             const std::optional<U256>& fee_paid, std::string_view note) override;
  // An `undelivered` record: status, error, paymentId (when the service gave one), reference, and the
  // note when there is one.
  void RecordUndelivered(const std::string& id, const protocol::UndeliveredOutcome& outcome) override;
  // A settled payment whose answer could not be delivered to the user (stdout failed): `reason`.
  // Returns the append's status, so the caller can say whether the note reached the journal.
  Status RecordLost(const std::string& id, std::string_view reason);
  // A `usage` record: the tokens the answer paid for by payment `id` reported. Written to the usage log
  // (a Journal over Paths::UsageFile), never to payments.jsonl. Returns the append's status.
  Status RecordUsage(const std::string& id, const TokenUsage& usage);

  // Appends one record under the exclusive lock and fsyncs it. A torn last line left by a crash is
  // terminated first, so the new record starts on a line of its own.
  Status Append(const JournalRecord& record);

  // Everything in the journal, read under a shared lock (never a half-written record of a concurrent
  // writer). An absent journal is empty.
  Result<JournalContents> Read() const;
  // The records of about the last `since` seconds onwards (at least every record written at or after
  // UNIX time `since`), read under a shared lock. Cheaper than Read() on a long journal.
  Result<JournalContents> ReadSince(std::int64_t since) const;

 private:
  Result<FileLock> LockForAppend() const;
  Status AppendLocked(int fd, std::string line);
  void AppendOutcome(JournalRecord record);

  std::filesystem::path file_;
  std::optional<DailyBudget> budget_;
  Clock clock_;
  PaymentTags tags_;
};

}  // namespace mpp::wallet
