// `wallet history`: the journal's records joined into payments, and totals per day, service and token.
// Pure functions over parsed records.
#pragma once

#include <functional>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/u256.h"
#include "wallet/journal_record.h"

namespace mpp::wallet {

// kPending: signed, no outcome recorded (still in flight, or the process died before learning it).
// kUndelivered: paid, but the service answered an error instead of the result.
// kFailed: the chain says it never moved the amount (never landed, or reverted).
enum class Outcome { kPending, kSettled, kRefused, kUnknown, kUndelivered, kFailed };

// "pending", "settled", "refused", "unknown", "undelivered", "failed".
std::string_view OutcomeName(Outcome outcome);

struct Payment {
  // Type kSigned. A session payment's vouchers and top-ups journaled after it (a metered answer) are
  // folded in: amount, fee, cumulative and deposit are the payment's totals.
  JournalRecord signed_record;
  Outcome outcome = Outcome::kPending;
  std::string outcome_detail;       // receipt reference, problem or reason; for kUndelivered "HTTP 502: ..."
  std::string service_payment_id;   // kUndelivered: the service's own paymentId, when it gave one
  std::string chain_evidence;       // what the chain showed, when `wallet reconcile` asked it
  std::optional<U256> fee_paid;     // the fee the chain's receipt reports, when known
  std::string answer_lost;          // why the paid answer never reached the user, when it did not
  std::size_t vouchers = 0;         // a session payment's vouchers during its answer (after the first)
  std::size_t top_ups = 0;          // and its top-ups
  std::optional<TokenUsage> usage;  // the tokens its answer reported, when journaled (the last `usage`)
};

// The fee this payment counts: the fee paid when known, else the most it could be (0 when failed
// without a receipt, or sponsored).
U256 CountedFee(const Payment& payment);

// Why an unknown (or abandoned) payment is still unknown, and what would settle it: "the chain has
// not been asked: 'mpp wallet reconcile'", or why it cannot be asked (no transaction hash and no
// block recorded). Empty for other outcomes.
std::string StillUnknownWhy(const Payment& payment);

// One payment per `signed` record, in journal order, with the outcome of the last outcome record that
// shares its id (outcome records without a matching `signed` record are ignored). Only payments signed
// at or after `since` (UNIX seconds) when given.
std::vector<Payment> CollectPayments(const std::vector<JournalRecord>& records,
                                     std::optional<std::int64_t> since = std::nullopt);

// Whether `close` notes a forced close's transaction before its broadcast ("request-close-sent",
// "withdraw-sent") rather than its outcome.
bool IsSentClose(const JournalRecord& close);

// The kClose records (channels closed by `wallet channels close`, and forced closes requested), in
// journal order; only those at or after `since` when given. A transaction noted before its broadcast
// is left out once the record of its outcome (same tx hash) is in the journal; without one (the
// process died in between) it stays, for the history to say so.
std::vector<JournalRecord> CollectCloses(const std::vector<JournalRecord>& records,
                                         std::optional<std::int64_t> since = std::nullopt);

// A payment still pending whose process has ended (the journal records its pid) will never get an
// outcome record: it may have been paid. Marks it kUnknown, with the reason, so history and budgets
// never present it as merely in flight. `process_alive` answers for a pid.
void MarkAbandoned(std::vector<Payment>& payments,
                   const std::function<bool(std::int64_t pid)>& process_alive);

// Whether a process with this pid exists (kill(pid, 0)); our own pid counts as alive.
bool ProcessAlive(std::int64_t pid);

// Who was paid, for grouping: the challenge's realm, else the URL's host, else the URL, else (a close
// of a channel whose service is unknown) the payee.
std::string ServiceName(const JournalRecord& signed_record);

// Amounts in base units. `settled` is what went through (settled, and undelivered: paid, not
// delivered); `unsettled` is everything else signed (refused, unknown, pending): it may or may not
// have moved funds. Failed payments add nothing but their fee. `fees` is the fee each payment counts
// (CountedFee).
struct Spend {
  U256 settled;
  U256 unsettled;
  std::size_t count = 0;
  U256 fees;
  friend bool operator==(const Spend&, const Spend&) = default;
};

// A token is only meaningful together with its chain.
struct TokenKey {
  std::uint64_t chain_id = 0;
  std::string currency;  // as journaled (EIP-55)
  friend auto operator<=>(const TokenKey&, const TokenKey&) = default;
};

using SpendByToken = std::map<TokenKey, Spend>;

struct HistoryTotals {
  std::map<std::string, SpendByToken> per_day;      // "YYYY-MM-DD" (UTC) -> token -> spend
  std::map<std::string, SpendByToken> per_service;  // ServiceName -> token -> spend
  SpendByToken per_token;
};

// Totals over `payments`; sums saturate at 2^256 - 1. The fees `closes` paid (a forced close's
// requestClose and withdraw) count among the fees of their day, service (the payee) and token, not as
// payments; what a close refunds is no spending and counts nowhere.
HistoryTotals Summarize(const std::vector<Payment>& payments, const std::vector<JournalRecord>& closes = {});

}  // namespace mpp::wallet
