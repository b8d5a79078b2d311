#include "util/amount.h"

#include <gtest/gtest.h>

namespace mpp {
namespace {

TEST(Amount, ParsesTokenUnitsIntoBaseUnits) {
  EXPECT_EQ(ParseTokenAmount("0.005"), U256(5000));
  EXPECT_EQ(ParseTokenAmount("1"), U256(1000000));
  EXPECT_EQ(ParseTokenAmount("1."), U256(1000000));
  EXPECT_EQ(ParseTokenAmount(".5"), U256(500000));
  EXPECT_EQ(ParseTokenAmount("0.000001"), U256(1));
  EXPECT_EQ(ParseTokenAmount("0"), U256(0));
  EXPECT_EQ(ParseTokenAmount("0.000000"), U256(0));
  EXPECT_EQ(ParseTokenAmount("12", 0), U256(12));
}

TEST(Amount, RejectsMalformedText) {
  for (std::string_view bad :
       {"-1", "+1", "1e3", "0.0000001", " 1", "1 ", "", ".", "1.2.3", "1,5", "0x10", "..5"}) {
    EXPECT_FALSE(ParseTokenAmount(bad)) << "'" << bad << "'";
  }
}

TEST(Amount, AcceptsTheFull256BitRange) {
  EXPECT_EQ(
      ParseTokenAmount("115792089237316195423570985008687907853269984665640564039457584007913129.639935"),
      U256::Max());
  EXPECT_FALSE(
      ParseTokenAmount("115792089237316195423570985008687907853269984665640564039457584007913129.639936"));
  EXPECT_FALSE(ParseTokenAmount("115792089237316195423570985008687907853269984665640564039457584007913130"));
}

TEST(Amount, FormatsWithoutTrailingZeros) {
  EXPECT_EQ(FormatTokenAmount(U256(5000)), "0.005");
  EXPECT_EQ(FormatTokenAmount(U256(1000000)), "1");
  EXPECT_EQ(FormatTokenAmount(U256(1500000)), "1.5");
  EXPECT_EQ(FormatTokenAmount(U256(1)), "0.000001");
  EXPECT_EQ(FormatTokenAmount(U256(0)), "0");
  EXPECT_EQ(FormatTokenAmount(U256::Max()),
            "115792089237316195423570985008687907853269984665640564039457584007913129.639935");
}

TEST(Amount, FormatThenParseRoundTrips) {
  for (std::uint64_t v : {0ull, 1ull, 999999ull, 1000000ull, 1234567ull, 5000ull}) {
    EXPECT_EQ(ParseTokenAmount(FormatTokenAmount(U256(v))), U256(v)) << v;
  }
}

}  // namespace
}  // namespace mpp
