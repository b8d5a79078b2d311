#include "crypto/secp256k1.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/keccak.h"
#include "util/hex.h"

namespace mpp::crypto {
namespace {

constexpr std::string_view kOrderHex = "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
constexpr std::string_view kHalfOrderHex =
    "0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0";
constexpr std::string_view kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

PrivateKey Key(std::string_view hex) { return PrivateKey::FromBytes(FromHex(hex).value()).value(); }

TEST(PrivateKey, AcceptsOneAndOrderMinusOne) {
  Bytes one(32, 0);
  one[31] = 1;
  EXPECT_TRUE(PrivateKey::FromBytes(one));
  Bytes order_minus_one = FromHex(kOrderHex).value();
  order_minus_one[31] = 0x40;
  EXPECT_TRUE(PrivateKey::FromBytes(order_minus_one));
}

TEST(PrivateKey, RejectsZeroOrderAboveOrderAndWrongLengths) {
  EXPECT_FALSE(PrivateKey::FromBytes(Bytes(32, 0)));
  EXPECT_FALSE(PrivateKey::FromBytes(FromHex(kOrderHex).value()));
  EXPECT_FALSE(PrivateKey::FromBytes(Bytes(32, 0xff)));
  EXPECT_FALSE(PrivateKey::FromBytes(Bytes(31, 1)));
  EXPECT_FALSE(PrivateKey::FromBytes(Bytes(33, 1)));
  EXPECT_FALSE(PrivateKey::FromBytes({}));
}

TEST(PrivateKey, GeneratesDistinctValidKeys) {
  auto a = PrivateKey::Generate();
  auto b = PrivateKey::Generate();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->bytes().size(), 32u);
  EXPECT_FALSE(std::equal(a->bytes().begin(), a->bytes().end(), b->bytes().begin()));
  EXPECT_TRUE(PrivateKey::FromBytes(a->bytes()));
}

TEST(PrivateKey, DerivesTheKnownPublicKey) {
  // Anvil's first account; its uncompressed public key X || Y.
  EXPECT_EQ(ToHex(Key(kAnvilKey0).GetPublicKey().xy),
            "0x8318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed75"
            "3547f11ca8696646f2f3acb08e31016afac23e630c5d11f59f61fef57b0d2aa5");
}

TEST(Signing, IsDeterministicAndRecoversTheSigner) {
  PrivateKey key = Key(kAnvilKey0);
  Hash32 digest = Keccak256Hash(AsBytes("hello"));
  RecoverableSignature a = SignHash(digest, key);
  RecoverableSignature b = SignHash(digest, key);
  EXPECT_EQ(a.ToRsv(), b.ToRsv());
  auto recovered = RecoverPublicKey(digest, a);
  ASSERT_TRUE(recovered);
  EXPECT_EQ(*recovered, key.GetPublicKey());
}

TEST(Signing, AlwaysProducesLowS) {
  PrivateKey key = Key(kAnvilKey0);
  Bytes half = FromHex(kHalfOrderHex).value();
  for (int i = 0; i < 64; ++i) {
    std::string message = "message " + std::to_string(i);
    RecoverableSignature sig = SignHash(Keccak256Hash(AsBytes(message)), key);
    EXPECT_TRUE(std::lexicographical_compare(sig.s.begin(), sig.s.end(), half.begin(), half.end()) ||
                std::equal(sig.s.begin(), sig.s.end(), half.begin()));
    EXPECT_TRUE(sig.recovery_id == 0 || sig.recovery_id == 1);
  }
}

TEST(Signing, RecoveryWithTheWrongDigestGivesAnotherKey) {
  PrivateKey key = Key(kAnvilKey0);
  RecoverableSignature sig = SignHash(Keccak256Hash(AsBytes("a")), key);
  auto recovered = RecoverPublicKey(Keccak256Hash(AsBytes("b")), sig);
  EXPECT_TRUE(!recovered || !(*recovered == key.GetPublicKey()));
}

TEST(RecoverableSignature, WritesVAs27Or28) {
  RecoverableSignature sig;
  sig.r[31] = 1;
  sig.s[31] = 2;
  sig.recovery_id = 0;
  EXPECT_EQ(sig.ToRsv()[64], 27);
  sig.recovery_id = 1;
  EXPECT_EQ(sig.ToRsv()[64], 28);
}

TEST(RecoverableSignature, ParsesVAs27Or28Or0Or1) {
  Bytes rsv(65, 0);
  rsv[31] = 1;
  rsv[63] = 2;
  for (auto [v, id] : {std::pair{27, 0}, {28, 1}, {0, 0}, {1, 1}}) {
    rsv[64] = static_cast<std::uint8_t>(v);
    auto sig = RecoverableSignature::FromRsv(rsv);
    ASSERT_TRUE(sig) << v;
    EXPECT_EQ(sig->recovery_id, id);
    EXPECT_EQ(sig->r[31], 1);
    EXPECT_EQ(sig->s[31], 2);
  }
}

TEST(RecoverableSignature, RejectsBadVLengthAndOutOfRangeValues) {
  Bytes rsv(65, 0);
  rsv[31] = 1;
  rsv[63] = 2;
  for (int v : {2, 26, 29, 35, 255}) {
    rsv[64] = static_cast<std::uint8_t>(v);
    EXPECT_FALSE(RecoverableSignature::FromRsv(rsv)) << v;
  }
  rsv[64] = 27;
  EXPECT_FALSE(RecoverableSignature::FromRsv(ByteView(rsv).first(64)));
  Bytes longer = rsv;
  longer.push_back(0);
  EXPECT_FALSE(RecoverableSignature::FromRsv(longer));

  Bytes zero_r = rsv;
  zero_r[31] = 0;
  EXPECT_FALSE(RecoverableSignature::FromRsv(zero_r));
  Bytes zero_s = rsv;
  zero_s[63] = 0;
  EXPECT_FALSE(RecoverableSignature::FromRsv(zero_s));
  Bytes order = FromHex(kOrderHex).value();
  Bytes s_at_order = rsv;
  std::copy(order.begin(), order.end(), s_at_order.begin() + 32);
  EXPECT_FALSE(RecoverableSignature::FromRsv(s_at_order));
  Bytes r_at_order = rsv;
  std::copy(order.begin(), order.end(), r_at_order.begin());
  EXPECT_FALSE(RecoverableSignature::FromRsv(r_at_order));
}

}  // namespace
}  // namespace mpp::crypto
