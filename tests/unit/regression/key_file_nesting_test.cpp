// Crashes found by tests/fuzz/keystore_fuzzer, kept as tests.
//
// RapidJSON's default (recursive) parser uses one stack frame per nesting level, so a key file of
// deeply nested arrays overflowed the stack (SIGSEGV) instead of being refused: DecryptKeystore
// (keystore.cpp, `document.Parse`) and InspectKeyFile / UnlockKeyFile (key_file.cpp, `ParseInsitu`).
// `mpp wallet import --keystore-file` reads up to 1 MiB; about 150,000 '[' crash a release build,
// 65,536 (the key store's cap) an ASan build. Input: 0x5b repeated 200,000 times.
// Fixed by refusing deep nesting before parsing (util/json_depth.h) and parsing iteratively.
#include <gtest/gtest.h>

#include <string>

#include "util/error.h"
#include "util/secret.h"
#include "wallet/key_file.h"
#include "wallet/keystore.h"

namespace mpp::wallet {
namespace {

const std::string kDeeplyNested(200'000, '[');

TEST(KeyFileRegression, DecryptKeystoreRefusesDeeplyNestedJsonWithoutOverflowingTheStack) {
  auto key = DecryptKeystore(kDeeplyNested, SecretString(std::string("password")), "wallet 'deep'");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind, ErrorKind::kWallet);
}

TEST(KeyFileRegression, InspectKeyFileRefusesDeeplyNestedJsonWithoutOverflowingTheStack) {
  auto summary = InspectKeyFile(kDeeplyNested);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().kind, ErrorKind::kWallet);
}

TEST(KeyFileRegression, UnlockKeyFileRefusesDeeplyNestedJsonWithoutOverflowingTheStack) {
  bool asked = false;
  auto key = UnlockKeyFile(
      kDeeplyNested,
      [&asked]() -> Result<SecretString> {
        asked = true;
        return MakeError(ErrorKind::kWallet, "no password");
      },
      "wallet 'deep'");
  ASSERT_FALSE(key.ok());
  EXPECT_FALSE(asked);
}

}  // namespace
}  // namespace mpp::wallet
