#include "wallet/key_resolution.h"

#include <gtest/gtest.h>

#include "support/wallet_test_support.h"
#include "util/hex.h"
#include "wallet/key_hex.h"

namespace mpp::wallet {
namespace {

using testing::FakeEnv;
using testing::TempDir;

constexpr const char* kKeyA = "9af8d292025dfdb7a59a5a2248cf9d4ae5365f6065fa7a3d4e8f957a8c649251";
constexpr const char* kKeyB = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

KeyProtection Plaintext() {
  KeyProtection protection;
  protection.insecure_plaintext = true;
  return protection;
}

PasswordProvider NoPassword() {
  return [](std::string_view name) -> Result<SecretString> {
    return MakeError(ErrorKind::kWallet, "no password for " + std::string(name));
  };
}

class KeyResolutionTest : public ::testing::Test {
 protected:
  KeyResolutionTest() : store_(Paths{tmp_.path(), tmp_.path()}) {}
  void AddWallets() {
    ASSERT_TRUE(store_.Create("a", *ParsePrivateKeyHex(kKeyA, "a"), Plaintext()).ok());
    ASSERT_TRUE(store_.Create("b", *ParsePrivateKeyHex(kKeyB, "b"), Plaintext()).ok());
  }
  std::string Resolve(const FakeEnv& env, std::optional<std::string_view> flag) {
    auto key = ResolveSigningKey(store_, env.Lookup(), flag, NoPassword());
    if (!key) return "error: " + key.error().message;
    return key->origin + " " + ToHex(key->key.bytes(), false);
  }
  TempDir tmp_;
  WalletStore store_;
};

TEST_F(KeyResolutionTest, MppPrivateKeyComesFirstAndIsNeverStored) {
  AddWallets();
  FakeEnv env;
  env.Set("MPP_PRIVATE_KEY", "0x" + std::string(kKeyB)).Set("MPP_WALLET", "a");
  EXPECT_EQ(Resolve(env, "a"), "MPP_PRIVATE_KEY " + std::string(kKeyB));
  EXPECT_EQ(store_.List()->size(), 2u);
}

TEST_F(KeyResolutionTest, AMalformedMppPrivateKeyIsAWalletErrorThatDoesNotEchoIt) {
  FakeEnv env;
  env.Set("MPP_PRIVATE_KEY", "deadbeef");
  auto key = ResolveSigningKey(store_, env.Lookup(), std::nullopt, NoPassword());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(ExitCode(key.error().kind), 6);
  EXPECT_NE(key.error().message.find("MPP_PRIVATE_KEY"), std::string::npos);
  EXPECT_EQ(key.error().message.find("deadbeef"), std::string::npos);
}

TEST_F(KeyResolutionTest, TheWalletFlagWinsOverMppWalletWhichWinsOverTheDefault) {
  AddWallets();  // "a" is the default
  FakeEnv env;
  EXPECT_EQ(Resolve(env, std::nullopt), "wallet 'a' " + std::string(kKeyA));
  env.Set("MPP_WALLET", "b");
  EXPECT_EQ(Resolve(env, std::nullopt), "wallet 'b' " + std::string(kKeyB));
  EXPECT_EQ(Resolve(env, "a"), "wallet 'a' " + std::string(kKeyA));
  env.Set("MPP_WALLET", "");
  EXPECT_EQ(Resolve(env, std::nullopt), "wallet 'a' " + std::string(kKeyA));
}

TEST_F(KeyResolutionTest, WithoutAnyWalletSaysHowToGetOne) {
  FakeEnv env;
  auto key = ResolveSigningKey(store_, env.Lookup(), std::nullopt, NoPassword());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(ExitCode(key.error().kind), 6);
  EXPECT_NE(key.error().message.find("mpp wallet new"), std::string::npos);
  EXPECT_NE(key.error().message.find("MPP_PRIVATE_KEY"), std::string::npos);
}

TEST_F(KeyResolutionTest, WithoutADefaultAmongSeveralSaysHowToChoose) {
  AddWallets();
  ASSERT_TRUE(std::filesystem::remove(tmp_.path() / "default-wallet"));
  FakeEnv env;
  auto key = ResolveSigningKey(store_, env.Lookup(), std::nullopt, NoPassword());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(ExitCode(key.error().kind), 6);
  EXPECT_NE(key.error().message.find("mpp wallet use NAME"), std::string::npos);
  EXPECT_NE(key.error().message.find("a, b"), std::string::npos);
}

TEST_F(KeyResolutionTest, AMissingNamedWalletSaysWhereTheNameCameFrom) {
  AddWallets();
  FakeEnv env;
  env.Set("MPP_WALLET", "nope");
  auto from_env = ResolveSigningKey(store_, env.Lookup(), std::nullopt, NoPassword());
  ASSERT_FALSE(from_env.ok());
  EXPECT_EQ(ExitCode(from_env.error().kind), 6);
  EXPECT_NE(from_env.error().message.find("MPP_WALLET"), std::string::npos);
  auto from_flag = ResolveSigningKey(store_, env.Lookup(), "gone", NoPassword());
  ASSERT_FALSE(from_flag.ok());
  EXPECT_NE(from_flag.error().message.find("--wallet"), std::string::npos);
}

TEST_F(KeyResolutionTest, AnUndecryptableWalletIsAWalletError) {
  KeyProtection protection;
  protection.password = SecretString(std::string("pw"));
  protection.scrypt = kScryptLight;
  ASSERT_TRUE(store_.Create("enc", *ParsePrivateKeyHex(kKeyA, "a"), protection).ok());
  FakeEnv env;
  auto key = ResolveSigningKey(store_, env.Lookup(), std::nullopt, NoPassword());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(ExitCode(key.error().kind), 6);
  EXPECT_EQ(key.error().message, "no password for enc");
  auto wrong = ResolveSigningKey(
      store_, env.Lookup(), std::nullopt,
      [](std::string_view) -> Result<SecretString> { return SecretString(std::string("wrong")); });
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "wrong password for wallet 'enc'");
}

TEST_F(KeyResolutionTest, ResolveWalletNameNeedsNoPassword) {
  AddWallets();
  FakeEnv env;
  auto name = ResolveWalletName(store_, env.Lookup(), std::nullopt);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "a");
  auto invalid = ResolveWalletName(store_, env.Lookup(), "../x");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace mpp::wallet
