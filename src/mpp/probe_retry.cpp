#include "mpp/probe_retry.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace mpp::protocol {
namespace {

// `text` as a number of exactly `digits` digits; nullopt otherwise.
std::optional<int> FixedDigits(std::string_view text, std::size_t digits) {
  if (text.size() != digits) return std::nullopt;
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" as UNIX seconds (RFC 9110 5.6.7 IMF-fixdate).
std::optional<std::int64_t> ParseImfFixdate(std::string_view text) {
  static constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters at fixed places.
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  if (std::find(kDays.begin(), kDays.end(), text.substr(0, 3)) == kDays.end()) return std::nullopt;
  auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (month == kMonths.end()) return std::nullopt;
  auto day = FixedDigits(text.substr(5, 2), 2);
  auto year = FixedDigits(text.substr(12, 4), 4);
  auto hour = FixedDigits(text.substr(17, 2), 2);
  auto minute = FixedDigits(text.substr(20, 2), 2);
  auto second = FixedDigits(text.substr(23, 2), 2);
  if (!day || !year || !hour || !minute || !second) return std::nullopt;
  if (*day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const int m = static_cast<int>(month - kMonths.begin()) + 1;
  return DaysFromCivil(*year, m, *day) * 86400 + *hour * 3600 + *minute * 60 + *second;
}

}  // namespace

bool RetryableProbeStatus(long status) { return status == 429 || (status >= 500 && status <= 599); }

std::optional<std::int64_t> ParseRetryAfter(std::string_view value, std::int64_t now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    if (value.size() > 9) return std::nullopt;  // past any wait anyone would honour; and no overflow
    std::int64_t seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return seconds;
  }
  auto at = ParseImfFixdate(value);
  if (!at) return std::nullopt;
  return std::max<std::int64_t>(*at - now, 0);
}

std::int64_t BackoffMilliseconds(int retry, double jitter) {
  const std::int64_t base = std::int64_t{500} << std::clamp(retry, 0, 16);
  const double scale = 0.5 + std::clamp(jitter, 0.0, 1.0) / 2;
  return static_cast<std::int64_t>(static_cast<double>(base) * scale);
}

}  // namespace mpp::protocol
