#include "util/u256.h"

#include <gtest/gtest.h>

namespace mpp {
namespace {

constexpr std::string_view kMaxDecimal =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";
constexpr std::string_view kMaxPlusOneDecimal =
    "115792089237316195423570985008687907853269984665640564039457584007913129639936";
constexpr std::string_view kMaxHex = "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

TEST(U256, ParsesDecimalUpTo2Pow256Minus1) {
  EXPECT_EQ(U256::FromDecimal("0"), U256(0));
  EXPECT_EQ(U256::FromDecimal("5000"), U256(5000));
  EXPECT_EQ(U256::FromDecimal("18446744073709551615"), U256(~0ull));
  EXPECT_EQ(U256::FromDecimal(kMaxDecimal), U256::Max());
  EXPECT_EQ(U256::Max().ToDecimal(), kMaxDecimal);
}

TEST(U256, RejectsDecimalOverflow) {
  EXPECT_FALSE(U256::FromDecimal(kMaxPlusOneDecimal));
  EXPECT_FALSE(U256::FromDecimal(std::string(kMaxDecimal) + "0"));
  EXPECT_FALSE(U256::FromDecimal(std::string(100, '9')));
}

TEST(U256, RejectsMalformedDecimal) {
  for (std::string_view bad : {"", "-1", "+1", " 1", "1 ", "01", "00", "1e3", "1.0", "0x10", "１"}) {
    EXPECT_FALSE(U256::FromDecimal(bad)) << bad;
  }
}

TEST(U256, ParsesHexQuantities) {
  EXPECT_EQ(U256::FromHexQuantity("0x0"), U256(0));
  EXPECT_EQ(U256::FromHexQuantity("0x1bc"), U256(0x1bc));
  EXPECT_EQ(U256::FromHexQuantity("0X1BC"), U256(0x1bc));
  EXPECT_EQ(U256::FromHexQuantity(kMaxHex), U256::Max());
}

TEST(U256, RejectsMalformedHexQuantities) {
  for (std::string_view bad : {"", "0x", "1bc", "0xg", "0x 1", "0x-1"}) {
    EXPECT_FALSE(U256::FromHexQuantity(bad)) << bad;
  }
  EXPECT_FALSE(U256::FromHexQuantity(std::string(kMaxHex) + "f"));
}

TEST(U256, FormatsHexQuantityWithoutLeadingZeros) {
  EXPECT_EQ(U256(0).ToHexQuantity(), "0x0");
  EXPECT_EQ(U256(0x1bc).ToHexQuantity(), "0x1bc");
  EXPECT_EQ(U256::Max().ToHexQuantity(), kMaxHex);
}

TEST(U256, ConvertsBigEndian) {
  EXPECT_TRUE(U256(0).ToBigEndianMinimal().empty());
  EXPECT_EQ(U256(0x0400).ToBigEndianMinimal(), (Bytes{0x04, 0x00}));
  auto full = U256::Max().ToBigEndian32();
  EXPECT_EQ(U256::FromBigEndian(full), U256::Max());
  EXPECT_EQ(U256::FromBigEndian(Bytes{0x00, 0x01}), U256(1));
  EXPECT_FALSE(U256::FromBigEndian(Bytes(33, 0)));
}

TEST(U256, CheckedArithmeticReportsOverflow) {
  EXPECT_FALSE(U256::CheckedAdd(U256::Max(), U256(1)));
  EXPECT_EQ(U256::CheckedAdd(U256(~0ull), U256(1))->ToHexQuantity(), "0x10000000000000000");
  EXPECT_FALSE(U256::CheckedSub(U256(1), U256(2)));
  EXPECT_EQ(U256::CheckedSub(*U256::FromHexQuantity("0x10000000000000000"), U256(1)), U256(~0ull));
  EXPECT_FALSE(U256::CheckedMul(U256::Max(), 2));
  EXPECT_EQ(U256::CheckedMul(U256::Max(), 1), U256::Max());
}

TEST(U256, DividesBySmallNumbers) {
  std::uint64_t remainder = 0;
  EXPECT_EQ(U256(1003).DivSmall(10, &remainder), U256(100));
  EXPECT_EQ(remainder, 3u);
}

TEST(U256, OrdersNumerically) {
  EXPECT_LT(U256(1), U256(2));
  EXPECT_LT(U256(~0ull), *U256::FromHexQuantity("0x10000000000000000"));
  EXPECT_GT(U256::Max(), U256(0));
}

}  // namespace
}  // namespace mpp
