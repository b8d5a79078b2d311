#include "crypto/address.h"

#include <gtest/gtest.h>

#include <cctype>

#include "util/hex.h"
#include "vectors.h"

namespace mpp::crypto {
namespace {

using mpp::testing::Str;
using mpp::testing::Vectors;

TEST(Address, DerivesTheVectorAddressesFromPrivateKeys) {
  const auto& cases = Vectors()["addresses"];
  ASSERT_TRUE(cases.IsArray());
  ASSERT_GE(cases.Size(), 3u);
  for (const auto& c : cases.GetArray()) {
    auto key = PrivateKey::FromBytes(FromHex(Str(c["privateKey"])).value());
    ASSERT_TRUE(key);
    EXPECT_EQ(Address::FromPublicKey(key->GetPublicKey()).ToChecksumHex(), Str(c["address"]));
  }
}

TEST(Address, ChecksumsTheEip55Vectors) {
  const auto& cases = Vectors()["eip55"];
  ASSERT_TRUE(cases.IsArray());
  for (const auto& c : cases.GetArray()) {
    std::string text = Str(c);
    std::string lower = text;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto address = Address::Parse(lower);
    ASSERT_TRUE(address) << lower;
    EXPECT_EQ(address->ToChecksumHex(), text);
    EXPECT_EQ(address->ToLowerHex(), lower);
    EXPECT_EQ(Address::Parse(text), address);
  }
}

TEST(Address, ChecksumsTheEip55SpecExamples) {
  for (std::string_view text :
       {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    auto address = Address::Parse(text);
    ASSERT_TRUE(address) << text;
    EXPECT_EQ(address->ToChecksumHex(), text);
  }
}

TEST(Address, AcceptsAllLowercaseAndAllUppercase) {
  EXPECT_TRUE(Address::Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
  EXPECT_TRUE(Address::Parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"));
  EXPECT_EQ(Address::Parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"),
            Address::Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
}

TEST(Address, RejectsAWrongMixedCaseChecksum) {
  EXPECT_FALSE(Address::Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
  EXPECT_FALSE(Address::Parse("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
}

TEST(Address, RejectsWrongLengthPrefixAndCharacters) {
  EXPECT_FALSE(Address::Parse("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
  EXPECT_FALSE(Address::Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae"));
  EXPECT_FALSE(Address::Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00"));
  EXPECT_FALSE(Address::Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg"));
  EXPECT_FALSE(Address::Parse(" 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
  EXPECT_FALSE(Address::Parse(""));
}

TEST(Address, OrdersAndComparesByBytes) {
  Address a = *Address::Parse("0x0000000000000000000000000000000000000001");
  Address b = *Address::Parse("0x0000000000000000000000000000000000000002");
  EXPECT_LT(a, b);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, a);
}

}  // namespace
}  // namespace mpp::crypto
