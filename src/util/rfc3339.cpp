#include "util/rfc3339.h"

#include <cstddef>

namespace mpp {
namespace {

// Reads exactly `count` decimal digits at `pos`; nullopt if any of them is not a digit.
std::optional<int> FixedDigits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(int year, int month, int day) {
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t year_of_era = y - era * 400;
  std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

}  // namespace

std::optional<std::int64_t> ParseRfc3339(std::string_view text) {
  // full-date "T" partial-time: YYYY-MM-DDTHH:MM:SS at fixed positions.
  if (text.size() < 20) return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  auto year = FixedDigits(text, 0, 4);
  auto month = FixedDigits(text, 5, 2);
  auto day = FixedDigits(text, 8, 2);
  auto hour = FixedDigits(text, 11, 2);
  auto minute = FixedDigits(text, 14, 2);
  auto second = FixedDigits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > DaysInMonth(*year, *month)) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;

  std::size_t pos = 19;
  if (text[pos] == '.') {
    std::size_t digits_start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return std::nullopt;
  }
  if (pos >= text.size()) return std::nullopt;

  std::int64_t offset_seconds = 0;
  char zone = text[pos];
  if (zone == 'Z' || zone == 'z') {
    if (pos + 1 != text.size()) return std::nullopt;
  } else if (zone == '+' || zone == '-') {
    if (pos + 6 != text.size() || text[pos + 3] != ':') return std::nullopt;
    auto offset_hour = FixedDigits(text, pos + 1, 2);
    auto offset_minute = FixedDigits(text, pos + 4, 2);
    if (!offset_hour || !offset_minute || *offset_hour > 23 || *offset_minute > 59) return std::nullopt;
    offset_seconds = (*offset_hour * 3600 + *offset_minute * 60) * (zone == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }

  std::int64_t local = DaysFromCivil(*year, *month, *day) * 86400 + *hour * 3600 + *minute * 60 + *second;
  return local - offset_seconds;
}

}  // namespace mpp
