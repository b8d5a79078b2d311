#include "util/utc_time.h"

#include <chrono>
#include <cstdio>

#include "util/rfc3339.h"

namespace mpp {

namespace {

struct UtcFields {
  int year;
  unsigned month, day;
  long hour, minute, second;
};

UtcFields Split(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds time{seconds{unix_seconds}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  return {static_cast<int>(date.year()),
          static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()),
          static_cast<long>(clock.hours().count()),
          static_cast<long>(clock.minutes().count()),
          static_cast<long>(clock.seconds().count())};
}

}  // namespace

std::string FormatUtcTimestamp(std::int64_t unix_seconds) {
  const UtcFields f = Split(unix_seconds);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return text;
}

std::string FormatUtcDate(std::int64_t unix_seconds) {
  const UtcFields f = Split(unix_seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", f.year, f.month, f.day);
  return text;
}

std::optional<std::int64_t> ParseUtcDate(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  return ParseRfc3339(std::string(text) + "T00:00:00Z");
}

}  // namespace mpp
