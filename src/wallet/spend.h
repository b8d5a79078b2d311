// `wallet spend`: what settled payments cost, totalled by day, service, model, conversation and template,
// with averages per call and per 1000 tokens. Pure functions over CollectPayments' payments.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/u256.h"
#include "wallet/history.h"

namespace mpp::wallet {

// What a set of payments in one token cost. `charged` is what the services were paid, `fees` what the
// network took (CountedFee). Usage counts only the calls whose answer's tokens were journaled.
struct SpendRow {
  std::size_t calls = 0;
  U256 charged;
  U256 fees;
  std::size_t calls_with_usage = 0;
  std::int64_t tokens = 0;  // total tokens of those calls (saturating)
  U256 cost_with_usage;     // charged + fees of those calls
  friend bool operator==(const SpendRow&, const SpendRow&) = default;
};

// charged + fees, saturating.
U256 SpendTotal(const SpendRow& row);
// The total per call, rounded down to a base unit; nullopt without calls.
std::optional<U256> AveragePerCall(const SpendRow& row);
// What 1000 tokens cost over the calls with known usage, rounded down; nullopt when none reported tokens.
std::optional<U256> CostPer1kTokens(const SpendRow& row);

using SpendRowsByToken = std::map<TokenKey, SpendRow>;

enum class SpendGroup { kDay, kService, kModel, kConversation, kTemplate };
inline constexpr std::array<SpendGroup, 5> kSpendGroups{SpendGroup::kDay, SpendGroup::kService,
                                                        SpendGroup::kModel, SpendGroup::kConversation,
                                                        SpendGroup::kTemplate};
// "day", "service", "model", "conversation", "template".
std::string_view SpendGroupName(SpendGroup group);

// The key a group files a payment under: the UTC date, ServiceName, or the model, conversation or template
// its `signed` record names, "(unknown)" when it names none (records older than these tags, or calls
// that had none: no template, --no-log).
std::string SpendKey(SpendGroup group, const Payment& payment);
inline constexpr std::string_view kUnknownKey = "(unknown)";

struct SpendReport {
  std::array<std::map<std::string, SpendRowsByToken>, kSpendGroups.size()> groups;  // by SpendGroup
  SpendRowsByToken total;                                                           // every settled payment
  std::vector<Payment> undelivered;  // paid, not delivered: listed apart, not in the groups
  SpendRowsByToken undelivered_total;
  std::size_t not_counted = 0;  // refused, unknown, pending or failed: may not have moved funds
};

// Settled payments signed before `until` (UNIX seconds; all when nullopt) go into the groups and the
// total; undelivered ones apart; the rest are only counted. Sums saturate at 2^256 - 1.
SpendReport SummarizeSpend(const std::vector<Payment>& payments,
                           std::optional<std::int64_t> until = std::nullopt);

// A --since/--until value: a UTC date (YYYY-MM-DD, its midnight; for `until_end_of_day` the next
// midnight, so the day is included) or a duration back from `now`: a positive integer with s, m, h, d
// or w ("1d", "12h", "30m"). nullopt for anything else.
std::optional<std::int64_t> ParseSpendTime(std::string_view text, std::int64_t now, bool until_end_of_day);

}  // namespace mpp::wallet
