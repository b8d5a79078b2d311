#include "util/hex.h"

#include <gtest/gtest.h>

namespace mpp {
namespace {

TEST(Hex, EncodesLowercaseWithOptionalPrefix) {
  const Bytes bytes = {0x00, 0xab, 0xff};
  EXPECT_EQ(ToHex(bytes), "0x00abff");
  EXPECT_EQ(ToHex(bytes, false), "00abff");
  EXPECT_EQ(ToHex(Bytes{}), "0x");
}

TEST(Hex, DecodesEitherCaseWithOrWithoutPrefix) {
  EXPECT_EQ(FromHex("0xAbCd"), (Bytes{0xab, 0xcd}));
  EXPECT_EQ(FromHex("0XABCD"), (Bytes{0xab, 0xcd}));
  EXPECT_EQ(FromHex("abcd"), (Bytes{0xab, 0xcd}));
  EXPECT_EQ(FromHex("0x"), Bytes{});
  EXPECT_EQ(FromHex(""), Bytes{});
}

TEST(Hex, RejectsOddLengthWhitespaceAndNonHex) {
  EXPECT_FALSE(FromHex("0xabc"));
  EXPECT_FALSE(FromHex("0x ab"));
  EXPECT_FALSE(FromHex("ab "));
  EXPECT_FALSE(FromHex("\tab"));
  EXPECT_FALSE(FromHex("0xgg"));
  EXPECT_FALSE(FromHex("0x0x00"));
  EXPECT_FALSE(FromHex("-1"));
  EXPECT_FALSE(FromHex("x00"));
}

TEST(Hex, ExactRequiresTheSize) {
  EXPECT_TRUE(FromHexExact("0x0102", 2));
  EXPECT_FALSE(FromHexExact("0x0102", 3));
  EXPECT_FALSE(FromHexExact("0x010203", 2));
}

TEST(Hex, RoundTripsEveryByte) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  EXPECT_EQ(FromHex(ToHex(all)), all);
}

TEST(Hex, Hash32FromHexTakesExactly32BytesWithOrWithoutPrefix) {
  const std::string hex = "00" + std::string(60, 'a') + "Ff";
  auto hash = Hash32FromHex("0x" + hex);
  ASSERT_TRUE(hash);
  EXPECT_EQ((*hash)[0], 0x00);
  EXPECT_EQ((*hash)[1], 0xaa);
  EXPECT_EQ((*hash)[31], 0xff);
  EXPECT_EQ(Hash32FromHex(hex), hash);
  EXPECT_FALSE(Hash32FromHex("0x" + hex.substr(2)));  // 31 bytes
  EXPECT_FALSE(Hash32FromHex("0x" + hex + "00"));     // 33 bytes
  EXPECT_FALSE(Hash32FromHex("0x" + hex.substr(1) + "g"));
}

}  // namespace
}  // namespace mpp
