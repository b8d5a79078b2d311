#include "wallet/store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/wallet_test_support.h"
#include "util/hex.h"
#include "wallet/files.h"
#include "wallet/key_hex.h"

namespace mpp::wallet {
namespace {

using testing::Fixture;
using testing::ModeOf;
using testing::ReadText;
using testing::TempDir;

constexpr const char* kKey = "9af8d292025dfdb7a59a5a2248cf9d4ae5365f6065fa7a3d4e8f957a8c649251";
constexpr const char* kAddress = "0x23F4421Da1810A9F6505Ff8a199D482BfddCEE6D";

crypto::PrivateKey TestKey() { return *ParsePrivateKeyHex(kKey, "test"); }

KeyProtection Light(const char* password) {
  KeyProtection protection;
  protection.password = SecretString(std::string(password));
  protection.scrypt = kScryptLight;
  return protection;
}

KeyProtection Plaintext() {
  KeyProtection protection;
  protection.insecure_plaintext = true;
  return protection;
}

PasswordProvider Password(const char* password) {
  return [password](std::string_view) -> Result<SecretString> { return SecretString(std::string(password)); };
}

class WalletStoreTest : public ::testing::Test {
 protected:
  WalletStoreTest() : store_(Paths{tmp_.path() / "config", tmp_.path() / "data"}) {}
  TempDir tmp_;
  WalletStore store_;
};

TEST_F(WalletStoreTest, AnEmptyStoreListsNothingAndHasNoDefault) {
  auto wallets = store_.List();
  ASSERT_TRUE(wallets.ok());
  EXPECT_TRUE(wallets->empty());
  auto default_name = store_.DefaultName();
  ASSERT_TRUE(default_name.ok());
  EXPECT_FALSE(default_name->has_value());
}

TEST_F(WalletStoreTest, CreateStoresAnEncryptedKeyWithPrivatePermissions) {
  auto info = store_.Create("main", TestKey(), Light("pw"));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->name, "main");
  EXPECT_EQ(info->address->ToChecksumHex(), kAddress);
  EXPECT_TRUE(info->encrypted);
  EXPECT_EQ(ModeOf(tmp_.path() / "data"), 0700u);
  EXPECT_EQ(ModeOf(tmp_.path() / "data" / "keys"), 0700u);
  EXPECT_EQ(ModeOf(store_.KeyFile("main")), 0600u);
  const std::string file = ReadText(store_.KeyFile("main"));
  EXPECT_NE(file.find("\"kdf\":\"scrypt\""), std::string::npos);
  EXPECT_EQ(file.find(kKey), std::string::npos);

  auto key = store_.Unlock("main", Password("pw"));
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->bytes(), false), kKey);
}

TEST_F(WalletStoreTest, TheFirstWalletBecomesTheDefaultAndLaterOnesDoNot) {
  ASSERT_TRUE(store_.Create("first", TestKey(), Plaintext()).ok());
  ASSERT_TRUE(store_.Create("second", *crypto::PrivateKey::Generate(), Plaintext()).ok());
  EXPECT_EQ(**store_.DefaultName(), "first");
  auto wallets = store_.List();
  ASSERT_TRUE(wallets.ok());
  ASSERT_EQ(wallets->size(), 2u);
  EXPECT_EQ((*wallets)[0].name, "first");
  EXPECT_TRUE((*wallets)[0].is_default);
  EXPECT_EQ((*wallets)[1].name, "second");
  EXPECT_FALSE((*wallets)[1].is_default);
  EXPECT_EQ(ReadText(tmp_.path() / "data" / "default-wallet"), "first\n");
  EXPECT_EQ(ModeOf(tmp_.path() / "data" / "default-wallet"), 0600u);
}

TEST_F(WalletStoreTest, UseMakesAnotherWalletTheDefaultButOnlyAnExistingOne) {
  ASSERT_TRUE(store_.Create("a", TestKey(), Plaintext()).ok());
  ASSERT_TRUE(store_.Create("b", *crypto::PrivateKey::Generate(), Plaintext()).ok());
  ASSERT_TRUE(store_.SetDefault("b").ok());
  EXPECT_EQ(**store_.DefaultName(), "b");
  auto missing = store_.SetDefault("c");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kWallet);
  EXPECT_EQ(**store_.DefaultName(), "b");
}

TEST_F(WalletStoreTest, NeverReplacesAnExistingWallet) {
  ASSERT_TRUE(store_.Create("main", TestKey(), Plaintext()).ok());
  const std::string before = ReadText(store_.KeyFile("main"));
  auto again = store_.Create("main", *crypto::PrivateKey::Generate(), Plaintext());
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(ReadText(store_.KeyFile("main")), before);
}

TEST_F(WalletStoreTest, RefusesNamesThatAreNotSafeFileNames) {
  for (const char* name : {"", "../evil", "a/b", ".hidden", "-dash", "sp ace", "x\n"}) {
    auto created = store_.Create(name, TestKey(), Plaintext());
    ASSERT_FALSE(created.ok()) << name;
    EXPECT_EQ(created.error().kind, ErrorKind::kUsage) << name;
  }
  EXPECT_FALSE(ValidateWalletName(std::string(65, 'a')).ok());
  EXPECT_TRUE(ValidateWalletName(std::string(64, 'a')).ok());
  EXPECT_TRUE(ValidateWalletName("work-2.hot_wallet").ok());
}

TEST_F(WalletStoreTest, AWrongPasswordNamesTheWalletAndExitsWith6) {
  ASSERT_TRUE(store_.Create("main", TestKey(), Light("right")).ok());
  auto key = store_.Unlock("main", Password("wrong"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message, "wrong password for wallet 'main'");
  EXPECT_EQ(ExitCode(key.error().kind), 6);
}

TEST_F(WalletStoreTest, APlaintextWalletSaysSoAndNeedsNoPassword) {
  ASSERT_TRUE(store_.Create("hot", TestKey(), Plaintext()).ok());
  EXPECT_NE(ReadText(store_.KeyFile("hot")).find("NOT ENCRYPTED"), std::string::npos);
  auto key = store_.Unlock("hot", [](std::string_view) -> Result<SecretString> {
    ADD_FAILURE() << "asked for a password";
    return MakeError(ErrorKind::kWallet, "no");
  });
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(ToHex(key->bytes(), false), kKey);
  auto wallets = store_.List();
  ASSERT_TRUE(wallets.ok());
  EXPECT_FALSE((*wallets)[0].encrypted);
}

TEST_F(WalletStoreTest, RefusesAKeyFileOthersCanReadWithTheFix) {
  ASSERT_TRUE(store_.Create("main", TestKey(), Plaintext()).ok());
  ASSERT_EQ(::chmod(store_.KeyFile("main").c_str(), 0644), 0);
  auto key = store_.Unlock("main", Password("x"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind, ErrorKind::kWallet);
  EXPECT_NE(key.error().message.find("chmod 600"), std::string::npos);
  auto wallets = store_.List();
  ASSERT_TRUE(wallets.ok());
  EXPECT_NE((*wallets)[0].problem.find("chmod 600"), std::string::npos);
  EXPECT_FALSE(store_.AddressOf("main").ok());
}

TEST_F(WalletStoreTest, TellsTheAddressWithoutAPassword) {
  ASSERT_TRUE(store_.Create("main", TestKey(), Light("pw")).ok());
  auto address = store_.AddressOf("main");
  ASSERT_TRUE(address.ok()) << address.error().message;
  EXPECT_EQ(address->ToChecksumHex(), kAddress);
  auto missing = store_.AddressOf("other");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("wallet list"), std::string::npos);
}

TEST_F(WalletStoreTest, ImportsThePublishedPbkdf2KeystoreAndRecordsItsAddress) {
  auto info = store_.ImportKeystore("vector", Fixture("web3-pbkdf2-test-vector.json"),
                                    SecretString(std::string("testpassword")));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->address->ToLowerHex(), "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b");
  EXPECT_NE(
      ReadText(store_.KeyFile("vector")).find("\"address\":\"008aeeda4d805471df9b2a5b0f38a0c3bcba786b\""),
      std::string::npos);
  EXPECT_EQ(ModeOf(store_.KeyFile("vector")), 0600u);
  auto key = store_.Unlock("vector", Password("testpassword"));
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->bytes(), false), "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
}

TEST_F(WalletStoreTest, AnImportWithTheWrongPasswordStoresNothing) {
  auto info = store_.ImportKeystore("light", Fixture("light-scrypt-n4096-r8-p6.json"),
                                    SecretString(std::string("wrong")));
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.error().message.find("wrong password"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(store_.KeyFile("light")));
}

TEST_F(WalletStoreTest, ExportsTheStoredKeystoreButNotAPlaintextKey) {
  ASSERT_TRUE(store_.Create("enc", TestKey(), Light("pw")).ok());
  auto keystore = store_.ExportKeystore("enc");
  ASSERT_TRUE(keystore.ok());
  EXPECT_EQ(*keystore, ReadText(store_.KeyFile("enc")));

  ASSERT_TRUE(store_.Create("hot", *crypto::PrivateKey::Generate(), Plaintext()).ok());
  auto plain = store_.ExportKeystore("hot");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message.find("--yes-print-private-key"), std::string::npos);
}

TEST_F(WalletStoreTest, RemoveMovesTheKeyAsideAndClearsTheDefault) {
  ASSERT_TRUE(store_.Create("main", TestKey(), Plaintext()).ok());
  const std::string content = ReadText(store_.KeyFile("main"));
  auto moved = store_.Remove("main");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_FALSE(std::filesystem::exists(store_.KeyFile("main")));
  EXPECT_EQ(moved->parent_path(), tmp_.path() / "data" / "removed");
  EXPECT_EQ(ReadText(*moved), content);
  EXPECT_EQ(ModeOf(moved->parent_path()), 0700u);
  EXPECT_FALSE(store_.DefaultName()->has_value());
  EXPECT_TRUE(store_.List()->empty());

  // The same name can be created and removed again without losing the first removed key.
  ASSERT_TRUE(store_.Create("main", *crypto::PrivateKey::Generate(), Plaintext()).ok());
  auto moved_again = store_.Remove("main");
  ASSERT_TRUE(moved_again.ok());
  EXPECT_NE(*moved_again, *moved);
  EXPECT_EQ(ReadText(*moved), content);
  EXPECT_FALSE(store_.Remove("main").ok());
}

TEST_F(WalletStoreTest, ListShowsADamagedKeyFileInsteadOfFailing) {
  ASSERT_TRUE(store_.Create("good", TestKey(), Plaintext()).ok());
  ASSERT_TRUE(WriteFileAtomic(store_.KeyFile("bad"), "not json").ok());
  auto wallets = store_.List();
  ASSERT_TRUE(wallets.ok());
  ASSERT_EQ(wallets->size(), 2u);
  EXPECT_EQ((*wallets)[0].name, "bad");
  EXPECT_FALSE((*wallets)[0].address.has_value());
  EXPECT_FALSE((*wallets)[0].problem.empty());
  EXPECT_TRUE((*wallets)[1].problem.empty());
}

}  // namespace
}  // namespace mpp::wallet
