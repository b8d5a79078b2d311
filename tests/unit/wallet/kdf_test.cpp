#include "wallet/kdf.h"

#include <gtest/gtest.h>

#include "util/hex.h"

namespace mpp::wallet {
namespace {

TEST(DeriveScrypt, MatchesTheRfc7914TestVector) {
  auto key = DeriveScrypt(AsBytes("password"), AsBytes("NaCl"), ScryptParams{1024, 8, 16}, 64);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(
      ToHex(key->view(), false),
      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac"
      "727afb94a83ee6d8360cbdfa2cc0640");
}

TEST(DerivePbkdf2Sha256, MatchesTheRfc7914Section11Vector) {
  auto key = DerivePbkdf2Sha256(AsBytes("passwd"), AsBytes("salt"), 1, 64);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->view(), false),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef3"
            "17c71b845b1e30bd509112041d3a19783");
}

TEST(DerivePbkdf2Sha256, AcceptsAnEmptyPasswordAsGethDoes) {
  auto key = DerivePbkdf2Sha256(ByteView(), AsBytes("salt"), 2, 32);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->size(), 32u);
}

TEST(DerivePbkdf2Sha256, RefusesZeroAndAbsurdIterationCounts) {
  EXPECT_FALSE(DerivePbkdf2Sha256(AsBytes("p"), AsBytes("s"), 0, 32).ok());
  auto huge = DerivePbkdf2Sha256(AsBytes("p"), AsBytes("s"), kMaxPbkdf2Iterations + 1, 32);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, ErrorKind::kWallet);
}

TEST(CheckScryptParams, AcceptsGethsStandardAndLightParameters) {
  EXPECT_TRUE(CheckScryptParams(kScryptStandard).ok());
  EXPECT_TRUE(CheckScryptParams(kScryptLight).ok());
  EXPECT_TRUE(CheckScryptParams(ScryptParams{std::uint64_t{1} << 20, 8, 1}).ok());
}

TEST(CheckScryptParams, ExplainsTheRfc7914RuleInsteadOfAnOpenSslMessage) {
  auto checked = CheckScryptParams(ScryptParams{262144, 1, 8});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().kind, ErrorKind::kWallet);
  EXPECT_NE(checked.error().message.find("break RFC 7914"), std::string::npos);
  EXPECT_NE(checked.error().message.find("n=262144, r=1, p=8"), std::string::npos);
  EXPECT_NE(checked.error().message.find("65536"), std::string::npos);
  // Just below the limit is fine.
  EXPECT_TRUE(CheckScryptParams(ScryptParams{32768, 1, 1}).ok());
  EXPECT_FALSE(CheckScryptParams(ScryptParams{65536, 1, 1}).ok());
}

TEST(CheckScryptParams, RefusesMalformedParameters) {
  EXPECT_FALSE(CheckScryptParams(ScryptParams{0, 8, 1}).ok());
  EXPECT_FALSE(CheckScryptParams(ScryptParams{1, 8, 1}).ok());
  EXPECT_FALSE(CheckScryptParams(ScryptParams{1000, 8, 1}).ok());
  EXPECT_FALSE(CheckScryptParams(ScryptParams{1024, 0, 1}).ok());
  EXPECT_FALSE(CheckScryptParams(ScryptParams{1024, 8, 0}).ok());
  EXPECT_FALSE(CheckScryptParams(ScryptParams{1024, 1u << 15, 1u << 15}).ok());
}

TEST(CheckScryptParams, RefusesParametersNeedingMoreThanTheMemoryCap) {
  auto checked = CheckScryptParams(ScryptParams{std::uint64_t{1} << 21, 8, 1});
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("MiB of memory"), std::string::npos);
  EXPECT_FALSE(CheckScryptParams(ScryptParams{std::uint64_t{1} << 62, 8, 1}).ok());
}

TEST(ScryptMemoryBytes, CountsWhatOpenSslAllocates) {
  EXPECT_EQ(ScryptMemoryBytes(kScryptStandard), 128ull * 8 * (262144 + 1 + 2));
  EXPECT_EQ(ScryptMemoryBytes(ScryptParams{~std::uint64_t{0}, 8, 1}), ~std::uint64_t{0});
}

}  // namespace
}  // namespace mpp::wallet
