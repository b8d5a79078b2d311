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
enum class Outcome { kPending, kSettled, kRefused, kUnknown, kUndelivered };

// "pending", "settled", "refused", "unknown", "undelivered".
std::string_view OutcomeName(Outcome outcome);

struct Payment {
  JournalRecord signed_record;  // type kSigned
  Outcome outcome = Outcome::kPending;
  std::string outcome_detail;      // receipt reference, problem or reason; for kUndelivered "HTTP 502: ..."
  std::string service_payment_id;  // kUndelivered: the service's own paymentId, when it gave one
};

// One payment per `signed` record, in journal order, with the outcome of the last outcome record that
// shares its id (outcome records without a matching `signed` record are ignored). Only payments signed
// at or after `since` (UNIX seconds) when given.
std::vector<Payment> CollectPayments(const std::vector<JournalRecord>& records,
                                     std::optional<std::int64_t> since = std::nullopt);

// A payment still pending whose process has ended (the journal records its pid) will never get an
// outcome record: it may have been paid. Marks it kUnknown, with the reason, so history and budgets
// never present it as merely in flight. `process_alive` answers for a pid.
void MarkAbandoned(std::vector<Payment>& payments,
                   const std::function<bool(std::int64_t pid)>& process_alive);

// Whether a process with this pid exists (kill(pid, 0)); our own pid counts as alive.
bool ProcessAlive(std::int64_t pid);

// Who was paid, for grouping: the challenge's realm, else the URL's host, else the URL.
std::string ServiceName(const JournalRecord& signed_record);

// Amounts in base units. `settled` is what went through (settled, and undelivered: paid, not
// delivered); `unsettled` is everything else signed (refused, unknown, pending): it may or may not
// have moved funds.
struct Spend {
  U256 settled;
  U256 unsettled;
  std::size_t count = 0;
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

// Totals over `payments`; sums saturate at 2^256 - 1.
HistoryTotals Summarize(const std::vector<Payment>& payments);

}  // namespace mpp::wallet
