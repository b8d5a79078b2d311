#include "util/utc_time.h"

#include <gtest/gtest.h>

#include "util/rfc3339.h"

namespace mpp {
namespace {

TEST(FormatUtcTimestamp, WritesRfc3339InUtcThatParsesBack) {
  EXPECT_EQ(FormatUtcTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtcTimestamp(1763776260), "2025-11-22T01:51:00Z");
  EXPECT_EQ(FormatUtcTimestamp(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(ParseRfc3339(FormatUtcTimestamp(1763776261)), 1763776261);
}

TEST(FormatUtcDate, IsTheUtcDay) {
  EXPECT_EQ(FormatUtcDate(1763776260), "2025-11-22");
  EXPECT_EQ(FormatUtcDate(1763769599), "2025-11-21");
}

TEST(ParseUtcDate, TakesStrictYearMonthDayAtMidnightUtc) {
  EXPECT_EQ(ParseUtcDate("2025-11-22"), 1763769600);
  EXPECT_EQ(ParseUtcDate("1970-01-01"), 0);
  EXPECT_EQ(ParseUtcDate("2024-02-29"), 1709164800);
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-1-01", "25-11-22", "2025-11-22T00:00:00Z",
                          " 2025-11-22", "2025/11/22", ""}) {
    EXPECT_FALSE(ParseUtcDate(bad).has_value()) << bad;
  }
}

TEST(UnixNow, IsAfter2025) { EXPECT_GT(UnixNow(), 1735689600); }

}  // namespace
}  // namespace mpp
