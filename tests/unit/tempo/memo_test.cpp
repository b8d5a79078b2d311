#include "tempo/memo.h"

#include <gtest/gtest.h>

#include "../crypto/vectors.h"
#include "crypto/keccak.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using mpp::testing::Str;
using mpp::testing::Vectors;

TEST(AttributionMemo, MatchesTheVector) {
  const auto& v = Vectors()["attributionMemo"];
  ASSERT_TRUE(v["clientId"].IsNull());
  EXPECT_EQ(ToHex(AttributionMemo(Str(v["realm"]), "", Str(v["challengeId"]))), Str(v["memo"]));
}

TEST(AttributionMemo, LaysOutTagVersionAndFingerprints) {
  Hash32 memo = AttributionMemo("api.example.com", "my-app", "challenge-123");
  Hash32 tag = crypto::Keccak256Hash(AsBytes("mpp"));
  Hash32 realm = crypto::Keccak256Hash(AsBytes("api.example.com"));
  Hash32 client = crypto::Keccak256Hash(AsBytes("my-app"));
  Hash32 challenge = crypto::Keccak256Hash(AsBytes("challenge-123"));
  EXPECT_TRUE(std::equal(tag.begin(), tag.begin() + 4, memo.begin()));
  EXPECT_EQ(memo[4], 0x01);
  EXPECT_TRUE(std::equal(realm.begin(), realm.begin() + 10, memo.begin() + 5));
  EXPECT_TRUE(std::equal(client.begin(), client.begin() + 10, memo.begin() + 15));
  EXPECT_TRUE(std::equal(challenge.begin(), challenge.begin() + 7, memo.begin() + 25));
}

TEST(AttributionMemo, AnonymousClientIsTenZeroBytes) {
  Hash32 memo = AttributionMemo("realm", "", "id");
  EXPECT_TRUE(std::all_of(memo.begin() + 15, memo.begin() + 25, [](std::uint8_t b) { return b == 0; }));
}

TEST(AttributionMemo, DiffersPerChallenge) {
  EXPECT_NE(AttributionMemo("realm", "", "a"), AttributionMemo("realm", "", "b"));
}

TEST(AttributionMemo, IsRecognisedByItsTag) {
  EXPECT_TRUE(IsAttributionMemo(AttributionMemo("realm", "client", "id")));
  EXPECT_FALSE(IsAttributionMemo(Hash32{}));
  Hash32 wrong_version = AttributionMemo("realm", "client", "id");
  wrong_version[4] = 0x02;
  EXPECT_FALSE(IsAttributionMemo(wrong_version));
}

}  // namespace
}  // namespace mpp::tempo
