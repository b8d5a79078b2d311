#include "mpp/probe_retry.h"

#include <gtest/gtest.h>

namespace mpp::protocol {
namespace {

constexpr std::int64_t kSunday1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(ProbeRetry, RetriesTooManyRequestsAndServerErrorsOnly) {
  for (long status : {429L, 500L, 502L, 503L, 504L, 599L})
    EXPECT_TRUE(RetryableProbeStatus(status)) << status;
  for (long status : {200L, 301L, 400L, 401L, 402L, 404L, 428L, 600L}) {
    EXPECT_FALSE(RetryableProbeStatus(status)) << status;
  }
}

TEST(ProbeRetry, RetryAfterTakesDelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("0", 0), 0);
  EXPECT_EQ(ParseRetryAfter("120", 0), 120);
  EXPECT_EQ(ParseRetryAfter(" 7 ", 0), 7);
  EXPECT_FALSE(ParseRetryAfter("-1", 0));
  EXPECT_FALSE(ParseRetryAfter("1.5", 0));
  EXPECT_FALSE(ParseRetryAfter("12abc", 0));
  EXPECT_FALSE(ParseRetryAfter("9999999999", 0));
  EXPECT_FALSE(ParseRetryAfter("", 0));
}

TEST(ProbeRetry, RetryAfterTakesAnImfFixdateCountedFromNow) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kSunday1994 - 5), 5);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kSunday1994 + 60), 0);  // past: now
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 1970 00:00:10 GMT", 0), 10);
  EXPECT_EQ(ParseRetryAfter("Wed, 29 Feb 2040 00:00:00 GMT", 2214086400 - 1), 1);
}

TEST(ProbeRetry, RetryAfterRefusesOtherDateForms) {
  EXPECT_FALSE(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", 0));  // RFC 850
  EXPECT_FALSE(ParseRetryAfter("Sun Nov  6 08:49:37 1994", 0));        // asctime
  EXPECT_FALSE(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 UTC", 0));
  EXPECT_FALSE(ParseRetryAfter("Sun, 06 Foo 1994 08:49:37 GMT", 0));
  EXPECT_FALSE(ParseRetryAfter("Sun, 32 Nov 1994 08:49:37 GMT", 0));
  EXPECT_FALSE(ParseRetryAfter("Sun, 06 Nov 1994 25:49:37 GMT", 0));
}

TEST(ProbeRetry, BackoffDoublesAndJitterSpreadsWithinHalfToWhole) {
  EXPECT_EQ(BackoffMilliseconds(0, 0.0), 250);
  EXPECT_EQ(BackoffMilliseconds(0, 1.0), 500);
  EXPECT_EQ(BackoffMilliseconds(1, 1.0), 1000);
  EXPECT_EQ(BackoffMilliseconds(2, 0.5), 1500);
  EXPECT_EQ(BackoffMilliseconds(3, 2.0), 4000);  // jitter is clamped
}

}  // namespace
}  // namespace mpp::protocol
