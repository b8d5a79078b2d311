#include "wallet/keystore.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <regex>

#include "crypto/address.h"
#include "support/wallet_test_support.h"
#include "util/hex.h"

namespace mpp::wallet {
namespace {

using testing::Fixture;

constexpr const char* kVectorKey = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
constexpr const char* kGeneratedKey = "9af8d292025dfdb7a59a5a2248cf9d4ae5365f6065fa7a3d4e8f957a8c649251";
constexpr const char* kGeneratedPassword = "mpp test password \xc3\xbc";  // "... ü" in UTF-8

crypto::PrivateKey KeyFromHex(const char* hex) { return *crypto::PrivateKey::FromBytes(*FromHex(hex)); }

std::string AddressOf(const crypto::PrivateKey& key) {
  return crypto::Address::FromPublicKey(key.GetPublicKey()).ToLowerHex();
}

// `json` with the first occurrence of `from` replaced by `to`.
std::string Replace(std::string json, const std::string& from, const std::string& to) {
  const auto at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) json.replace(at, from.size(), to);
  return json;
}

TEST(DecryptKeystore, OpensThePublishedWeb3SecretStoragePbkdf2Vector) {
  auto key = DecryptKeystore(Fixture("web3-pbkdf2-test-vector.json"),
                             SecretString(std::string("testpassword")), "wallet 'vector'");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->bytes(), false), kVectorKey);
  EXPECT_EQ(AddressOf(*key), "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b");
}

TEST(DecryptKeystore, ThePublishedScryptExampleWithR1GetsAPlainRfc7914Explanation) {
  auto key = DecryptKeystore(Fixture("web3-scrypt-r1-example.json"),
                             SecretString(std::string("testpassword")), "wallet 'r1'");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind, ErrorKind::kWallet);
  EXPECT_NE(key.error().message.find("break RFC 7914"), std::string::npos) << key.error().message;
  EXPECT_NE(key.error().message.find("n=262144, r=1, p=8"), std::string::npos);
  EXPECT_EQ(key.error().message.find("OpenSSL:"), std::string::npos);
}

// The one test with geth's full parameters: ~256 MiB and about a second.
TEST(DecryptKeystore, OpensAKeystoreWithGethsStandardScryptParametersMadeByAnotherImplementation) {
  auto key = DecryptKeystore(Fixture("geth-scrypt-n262144-r8-p1.json"),
                             SecretString(std::string(kGeneratedPassword)), "wallet 'geth'");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->bytes(), false), kGeneratedKey);
}

TEST(DecryptKeystore, OpensALightScryptKeystoreMadeByAnotherImplementation) {
  auto key = DecryptKeystore(Fixture("light-scrypt-n4096-r8-p6.json"),
                             SecretString(std::string(kGeneratedPassword)), "wallet 'light'");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->bytes(), false), kGeneratedKey);
  EXPECT_EQ(AddressOf(*key), "0x23f4421da1810a9f6505ff8a199d482bfddcee6d");
}

TEST(DecryptKeystore, AWrongPasswordSaysSoAndNamesTheWallet) {
  auto key = DecryptKeystore(Fixture("light-scrypt-n4096-r8-p6.json"), SecretString(std::string("nope")),
                             "wallet 'light'");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind, ErrorKind::kWallet);
  EXPECT_EQ(key.error().message, "wrong password for wallet 'light'");
}

TEST(DecryptKeystore, RefusesATamperedCiphertext) {
  const std::string json = Fixture("light-scrypt-n4096-r8-p6.json");
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  const std::string ciphertext = doc["crypto"]["ciphertext"].GetString();
  std::string tampered = ciphertext;
  tampered[0] = tampered[0] == '0' ? '1' : '0';
  auto key = DecryptKeystore(Replace(json, ciphertext, tampered),
                             SecretString(std::string(kGeneratedPassword)), "wallet 'light'");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message, "wrong password for wallet 'light'");
}

TEST(DecryptKeystore, RefusesATamperedMac) {
  const std::string json = Fixture("light-scrypt-n4096-r8-p6.json");
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  std::string mac = doc["crypto"]["mac"].GetString();
  std::string tampered_mac = mac;
  tampered_mac.back() = tampered_mac.back() == '0' ? '1' : '0';
  auto key = DecryptKeystore(Replace(json, mac, tampered_mac), SecretString(std::string(kGeneratedPassword)),
                             "wallet 'light'");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message, "wrong password for wallet 'light'");
}

TEST(DecryptKeystore, RefusesAnAddressFieldThatDoesNotBelongToTheKey) {
  const std::string json = Fixture("light-scrypt-n4096-r8-p6.json");
  auto key = DecryptKeystore(
      Replace(json, "23f4421da1810a9f6505ff8a199d482bfddcee6d", "0000000000000000000000000000000000000001"),
      SecretString(std::string(kGeneratedPassword)), "wallet 'light'");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("damaged or was edited"), std::string::npos);
}

TEST(DecryptKeystore, AnEmptyAddressFieldLetsTheKeyDecide) {
  const std::string json = Fixture("light-scrypt-n4096-r8-p6.json");
  auto key = DecryptKeystore(Replace(json, "\"23f4421da1810a9f6505ff8a199d482bfddcee6d\"", "\"\""),
                             SecretString(std::string(kGeneratedPassword)), "wallet 'light'");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(AddressOf(*key), "0x23f4421da1810a9f6505ff8a199d482bfddcee6d");
}

TEST(DecryptKeystore, AcceptsGethsLegacyCapitalisedCryptoSection) {
  const std::string json = Replace(Fixture("light-scrypt-n4096-r8-p6.json"), "\"crypto\"", "\"Crypto\"");
  auto key = DecryptKeystore(json, SecretString(std::string(kGeneratedPassword)), "wallet 'light'");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->bytes(), false), kGeneratedKey);
}

TEST(DecryptKeystore, NamesWhatItDoesNotSupport) {
  const std::string json = Fixture("light-scrypt-n4096-r8-p6.json");
  const SecretString password{std::string(kGeneratedPassword)};
  auto cbc = DecryptKeystore(Replace(json, "aes-128-ctr", "aes-128-cbc"), password, "wallet 'w'");
  ASSERT_FALSE(cbc.ok());
  EXPECT_NE(cbc.error().message.find("aes-128-cbc"), std::string::npos);
  auto argon = DecryptKeystore(Replace(json, "\"scrypt\"", "\"argon2\""), password, "wallet 'w'");
  ASSERT_FALSE(argon.ok());
  EXPECT_NE(argon.error().message.find("argon2"), std::string::npos);
  auto v2 = DecryptKeystore(Replace(json, "\"version\": 3", "\"version\": 2"), password, "wallet 'w'");
  ASSERT_FALSE(v2.ok());
  EXPECT_NE(v2.error().message.find("version 3"), std::string::npos);
  EXPECT_FALSE(DecryptKeystore("not json", password, "wallet 'w'").ok());
  EXPECT_FALSE(DecryptKeystore("{\"version\":3}", password, "wallet 'w'").ok());
}

TEST(DecryptKeystore, RefusesAPbkdf2PrfOtherThanHmacSha256) {
  const std::string json = Replace(Fixture("web3-pbkdf2-test-vector.json"), "hmac-sha256", "hmac-sha512");
  auto key = DecryptKeystore(json, SecretString(std::string("testpassword")), "wallet 'w'");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("hmac-sha256"), std::string::npos);
}

TEST(EncryptKeystore, RoundTripsWithLightParametersInGethsLayout) {
  const crypto::PrivateKey key = KeyFromHex(kGeneratedKey);
  const SecretString password{std::string("correct horse")};
  auto json = EncryptKeystore(key, password, kScryptLight);
  ASSERT_TRUE(json.ok()) << json.error().message;

  rapidjson::Document doc;
  doc.Parse(json->c_str());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["version"].GetInt(), 3);
  EXPECT_EQ(std::string(doc["address"].GetString()), "23f4421da1810a9f6505ff8a199d482bfddcee6d");
  EXPECT_TRUE(
      std::regex_match(doc["id"].GetString(),
                       std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  const auto& crypto_section = doc["crypto"];
  EXPECT_EQ(std::string(crypto_section["cipher"].GetString()), "aes-128-ctr");
  EXPECT_EQ(std::string(crypto_section["kdf"].GetString()), "scrypt");
  EXPECT_EQ(std::strlen(crypto_section["cipherparams"]["iv"].GetString()), 32u);
  EXPECT_EQ(std::strlen(crypto_section["ciphertext"].GetString()), 64u);
  EXPECT_EQ(std::strlen(crypto_section["mac"].GetString()), 64u);
  const auto& params = crypto_section["kdfparams"];
  EXPECT_EQ(params["n"].GetUint64(), 4096u);
  EXPECT_EQ(params["r"].GetUint(), 8u);
  EXPECT_EQ(params["p"].GetUint(), 6u);
  EXPECT_EQ(params["dklen"].GetUint(), 32u);
  EXPECT_EQ(std::strlen(params["salt"].GetString()), 64u);

  auto decrypted = DecryptKeystore(*json, password, "wallet 'new'");
  ASSERT_TRUE(decrypted.ok()) << decrypted.error().message;
  EXPECT_EQ(ToHex(decrypted->bytes(), false), kGeneratedKey);
  auto wrong = DecryptKeystore(*json, SecretString(std::string("correct horse ")), "wallet 'new'");
  EXPECT_FALSE(wrong.ok());
}

TEST(EncryptKeystore, UsesAFreshSaltAndIvEachTime) {
  const crypto::PrivateKey key = KeyFromHex(kGeneratedKey);
  const SecretString password{std::string("pw")};
  auto first = EncryptKeystore(key, password, kScryptLight);
  auto second = EncryptKeystore(key, password, kScryptLight);
  ASSERT_TRUE(first.ok() && second.ok());
  rapidjson::Document a;
  rapidjson::Document b;
  a.Parse(first->c_str());
  b.Parse(second->c_str());
  EXPECT_STRNE(a["crypto"]["kdfparams"]["salt"].GetString(), b["crypto"]["kdfparams"]["salt"].GetString());
  EXPECT_STRNE(a["crypto"]["cipherparams"]["iv"].GetString(), b["crypto"]["cipherparams"]["iv"].GetString());
  EXPECT_STRNE(a["crypto"]["ciphertext"].GetString(), b["crypto"]["ciphertext"].GetString());
  EXPECT_STRNE(a["id"].GetString(), b["id"].GetString());
}

TEST(EncryptKeystore, RefusesParametersItCouldNotDecryptLater) {
  auto json =
      EncryptKeystore(KeyFromHex(kGeneratedKey), SecretString(std::string("pw")), ScryptParams{65536, 1, 1});
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.error().message.find("RFC 7914"), std::string::npos);
}

TEST(ParseKeystoreAddress, TakesGethsFormWithoutPrefixAndTheUsualForm) {
  const auto expected = crypto::Address::Parse("0x23f4421da1810a9f6505ff8a199d482bfddcee6d");
  EXPECT_EQ(ParseKeystoreAddress("23f4421da1810a9f6505ff8a199d482bfddcee6d"), expected);
  EXPECT_EQ(ParseKeystoreAddress("0x23F4421Da1810A9F6505Ff8a199D482BfddCEE6D"), expected);
  EXPECT_FALSE(ParseKeystoreAddress("23f4421da1810a9f6505ff8a199d482bfddcee6").has_value());
  EXPECT_FALSE(
      ParseKeystoreAddress("0x23f4421Da1810a9f6505ff8a199d482bfddcee6d").has_value());  // bad checksum
}

}  // namespace
}  // namespace mpp::wallet
