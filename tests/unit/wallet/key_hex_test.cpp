#include "wallet/key_hex.h"

#include <gtest/gtest.h>

#include "util/hex.h"

namespace mpp::wallet {
namespace {

constexpr const char* kKey = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

TEST(ParsePrivateKeyHex, AcceptsBareOrPrefixedHexWithSurroundingWhitespace) {
  for (const std::string& text :
       {std::string(kKey), "0x" + std::string(kKey), "  0x" + std::string(kKey) + "\n"}) {
    auto key = ParsePrivateKeyHex(text, "stdin");
    ASSERT_TRUE(key.ok()) << text;
    EXPECT_EQ(ToHex(key->bytes(), false), kKey);
  }
}

TEST(ParsePrivateKeyHex, RefusesWrongLengthsWithoutEchoingTheInput) {
  const std::string short_key = std::string(kKey).substr(0, 62);
  auto key = ParsePrivateKeyHex(short_key, "MPP_PRIVATE_KEY");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind, ErrorKind::kWallet);
  EXPECT_NE(key.error().message.find("MPP_PRIVATE_KEY"), std::string::npos);
  EXPECT_EQ(key.error().message.find(short_key), std::string::npos);
  EXPECT_FALSE(ParsePrivateKeyHex(std::string(kKey) + "00", "x").ok());
  EXPECT_FALSE(ParsePrivateKeyHex("zz" + std::string(kKey).substr(2), "x").ok());
}

TEST(ParsePrivateKeyHex, RefusesZeroAndScalarsOutsideTheCurveOrder) {
  EXPECT_FALSE(ParsePrivateKeyHex(std::string(64, '0'), "x").ok());
  EXPECT_FALSE(ParsePrivateKeyHex(std::string(64, 'f'), "x").ok());
}

TEST(FormatPrivateKeyHex, IsPrefixedLowercaseHex) {
  auto key = ParsePrivateKeyHex(kKey, "x");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(FormatPrivateKeyHex(*key).str(), "0x" + std::string(kKey));
}

}  // namespace
}  // namespace mpp::wallet
