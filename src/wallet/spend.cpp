#include "wallet/spend.h"

#include <charconv>
#include <limits>

#include "util/utc_time.h"

namespace mpp::wallet {

namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;

void AddTo(SpendRow& row, const Payment& payment) {
  const U256 fee = CountedFee(payment);
  ++row.calls;
  row.charged = U256::SaturatingAdd(row.charged, payment.signed_record.amount);
  row.fees = U256::SaturatingAdd(row.fees, fee);
  if (!payment.usage || payment.usage->total_tokens <= 0) return;
  ++row.calls_with_usage;
  const std::int64_t room = std::numeric_limits<std::int64_t>::max() - row.tokens;
  row.tokens += payment.usage->total_tokens < room ? payment.usage->total_tokens : room;
  row.cost_with_usage =
      U256::SaturatingAdd(row.cost_with_usage, U256::SaturatingAdd(payment.signed_record.amount, fee));
}

std::optional<std::int64_t> SecondsPerUnit(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 60 * 60;
    case 'd':
      return kSecondsPerDay;
    case 'w':
      return 7 * kSecondsPerDay;
    default:
      return std::nullopt;
  }
}

}  // namespace

U256 SpendTotal(const SpendRow& row) { return U256::SaturatingAdd(row.charged, row.fees); }

std::optional<U256> AveragePerCall(const SpendRow& row) {
  if (row.calls == 0) return std::nullopt;
  return SpendTotal(row).DivSmall(row.calls, nullptr);
}

std::optional<U256> CostPer1kTokens(const SpendRow& row) {
  if (row.tokens <= 0) return std::nullopt;
  // cost * 1000 / tokens; a cost too large to multiply divides first (and loses only sub-unit digits).
  if (auto scaled = U256::CheckedMul(row.cost_with_usage, 1000))
    return scaled->DivSmall(static_cast<std::uint64_t>(row.tokens), nullptr);
  return U256::CheckedMul(row.cost_with_usage.DivSmall(static_cast<std::uint64_t>(row.tokens), nullptr), 1000)
      .value_or(U256::Max());
}

std::string_view SpendGroupName(SpendGroup group) {
  switch (group) {
    case SpendGroup::kDay:
      return "day";
    case SpendGroup::kService:
      return "service";
    case SpendGroup::kModel:
      return "model";
    case SpendGroup::kConversation:
      return "conversation";
    case SpendGroup::kTemplate:
      return "template";
  }
  return "day";
}

std::string SpendKey(SpendGroup group, const Payment& payment) {
  const JournalRecord& r = payment.signed_record;
  const auto or_unknown = [](const std::string& tag) { return tag.empty() ? std::string(kUnknownKey) : tag; };
  switch (group) {
    case SpendGroup::kDay:
      return FormatUtcDate(r.time);
    case SpendGroup::kService:
      return ServiceName(r);
    case SpendGroup::kModel:
      return or_unknown(r.model);
    case SpendGroup::kConversation:
      return or_unknown(r.conversation);
    case SpendGroup::kTemplate:
      return or_unknown(r.template_name);
  }
  return std::string(kUnknownKey);
}

SpendReport SummarizeSpend(const std::vector<Payment>& payments, std::optional<std::int64_t> until) {
  SpendReport report;
  for (const Payment& payment : payments) {
    const JournalRecord& r = payment.signed_record;
    if (until && r.time >= *until) continue;
    const TokenKey token{r.chain_id, r.currency};
    if (payment.outcome == Outcome::kUndelivered) {
      report.undelivered.push_back(payment);
      AddTo(report.undelivered_total[token], payment);
      continue;
    }
    if (payment.outcome != Outcome::kSettled) {
      ++report.not_counted;
      continue;
    }
    AddTo(report.total[token], payment);
    for (std::size_t i = 0; i < kSpendGroups.size(); ++i) {
      AddTo(report.groups[i][SpendKey(kSpendGroups[i], payment)][token], payment);
    }
  }
  return report;
}

std::optional<std::int64_t> ParseSpendTime(std::string_view text, std::int64_t now, bool until_end_of_day) {
  if (auto date = ParseUtcDate(text)) return until_end_of_day ? *date + kSecondsPerDay : *date;
  if (text.size() < 2) return std::nullopt;
  const auto unit = SecondsPerUnit(text.back());
  if (!unit) return std::nullopt;
  const std::string_view digits = text.substr(0, text.size() - 1);
  std::int64_t count = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (ec != std::errc() || end != digits.data() + digits.size() || count <= 0 || digits.front() == '+') {
    return std::nullopt;
  }
  // Anything past about a century back is as good as "everything".
  constexpr std::int64_t kMaxBack = 100 * 366 * kSecondsPerDay;
  const std::int64_t back = count > kMaxBack / *unit ? kMaxBack : count * *unit;
  return now - back;
}

}  // namespace mpp::wallet
