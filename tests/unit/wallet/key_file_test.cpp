#include "wallet/key_file.h"

#include <gtest/gtest.h>

#include "support/wallet_test_support.h"
#include "util/hex.h"
#include "wallet/key_hex.h"
#include "wallet/keystore.h"

namespace mpp::wallet {
namespace {

constexpr const char* kKey = "9af8d292025dfdb7a59a5a2248cf9d4ae5365f6065fa7a3d4e8f957a8c649251";

crypto::PrivateKey TestKey() { return *ParsePrivateKeyHex(kKey, "test"); }

PasswordCallback NeverAsked(bool& asked) {
  return [&asked]() -> Result<SecretString> {
    asked = true;
    return MakeError(ErrorKind::kWallet, "no password");
  };
}

TEST(InsecurePlaintextKey, SaysInTheFileThatItIsNotEncrypted) {
  const SecretString text = EncodeInsecurePlaintextKey(TestKey());
  EXPECT_NE(text.str().find("NOT ENCRYPTED"), std::string::npos);
  EXPECT_NE(text.str().find("mpp_insecure_plaintext_key"), std::string::npos);
  EXPECT_NE(text.str().find("\"address\":\"23f4421da1810a9f6505ff8a199d482bfddcee6d\""), std::string::npos);
}

TEST(InsecurePlaintextKey, UnlocksWithoutAskingForAPassword) {
  const SecretString text = EncodeInsecurePlaintextKey(TestKey());
  bool asked = false;
  auto key = UnlockKeyFile(text.str(), NeverAsked(asked), "wallet 'plain'");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_FALSE(asked);
  EXPECT_EQ(ToHex(key->bytes(), false), kKey);
}

TEST(InsecurePlaintextKey, RefusesAFileWhoseAddressDoesNotMatchItsKey) {
  std::string text = EncodeInsecurePlaintextKey(TestKey()).str();
  text.replace(text.find("23f4421d"), 8, "00000000");
  bool asked = false;
  auto key = UnlockKeyFile(text, NeverAsked(asked), "wallet 'plain'");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("damaged or was edited"), std::string::npos);
}

TEST(InspectKeyFile, TellsKeystoresFromPlaintextAndReadsTheAddress) {
  auto plain = InspectKeyFile(EncodeInsecurePlaintextKey(TestKey()).str());
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->kind, KeyFileKind::kInsecurePlaintext);
  EXPECT_EQ(plain->address, crypto::Address::Parse("0x23f4421da1810a9f6505ff8a199d482bfddcee6d"));

  auto keystore = InspectKeyFile(testing::Fixture("light-scrypt-n4096-r8-p6.json"));
  ASSERT_TRUE(keystore.ok()) << keystore.error().message;
  EXPECT_EQ(keystore->kind, KeyFileKind::kKeystoreV3);
  EXPECT_EQ(keystore->address, plain->address);

  auto no_address = InspectKeyFile(testing::Fixture("web3-pbkdf2-test-vector.json"));
  ASSERT_TRUE(no_address.ok());
  EXPECT_FALSE(no_address->address.has_value());
}

TEST(InspectKeyFile, RefusesOtherJson) {
  EXPECT_FALSE(InspectKeyFile("{\"hello\":1}").ok());
  EXPECT_FALSE(InspectKeyFile("[]").ok());
  EXPECT_FALSE(InspectKeyFile("").ok());
  EXPECT_FALSE(InspectKeyFile("{\"crypto\":{},\"address\":\"xyz\"}").ok());
}

TEST(UnlockKeyFile, AsksForThePasswordOfAKeystoreAndPassesItsErrorsOn) {
  const std::string json = testing::Fixture("light-scrypt-n4096-r8-p6.json");
  int calls = 0;
  auto key = UnlockKeyFile(
      json,
      [&]() -> Result<SecretString> {
        ++calls;
        return SecretString(std::string("mpp test password \xc3\xbc"));
      },
      "wallet 'light'");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(ToHex(key->bytes(), false), kKey);

  bool asked = false;
  auto refused = UnlockKeyFile(json, NeverAsked(asked), "wallet 'light'");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(asked);
  EXPECT_EQ(refused.error().message, "no password");
}

}  // namespace
}  // namespace mpp::wallet
