#include "crypto/keccak.h"

#include <gtest/gtest.h>

#include "util/hex.h"
#include "vectors.h"

namespace mpp::crypto {
namespace {

// Input of n bytes where byte i is i % 251 (so block boundaries never line up with a pattern).
Bytes Pattern(std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i % 251);
  return out;
}

TEST(Keccak, MatchesTheVectorsFile) {
  const auto& cases = mpp::testing::Vectors()["keccak256"];
  ASSERT_TRUE(cases.IsArray());
  ASSERT_GE(cases.Size(), 3u);
  for (const auto& c : cases.GetArray()) {
    EXPECT_EQ(ToHex(Keccak256Hash(AsBytes(mpp::testing::Str(c["input_utf8"])))),
              mpp::testing::Str(c["hash"]));
  }
}

TEST(Keccak, IsNotSha3) {
  // SHA3-256("") is a7ffc6f8...; Keccak-256 with the 0x01 padding is c5d24601...
  EXPECT_EQ(ToHex(Keccak256Hash({})), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

// Expected values produced independently with viem:
//   node -e "const {keccak256}=require('/tmp/mppxtry/node_modules/viem');
//            const b=new Uint8Array(n); for(let i=0;i<n;i++) b[i]=i%251; console.log(keccak256(b))"
struct LengthCase {
  std::size_t length;
  const char* hash;
};
constexpr LengthCase kLengthCases[] = {
    {1, "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a"},
    {55, "0x797f92d5e159d80a886c0a7802a255b475a1e8e473e8cf4345144824a2aee79c"},
    {56, "0x0d0bf4902a749dee22eae5f1b6e2b867ba696ce9be7632eba14315ac09bd1856"},
    {135, "0xcbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62"},
    {136, "0x7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e"},
    {137, "0xac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db"},
    {200, "0xbfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890"},
    {271, "0x27eceb59ebc3dc8a04a5b135be641591a7278540e4556a2ba9f408194e666ec3"},
    {272, "0x8e2476e65823b24d96ebe239f2c1534cdf763e689e2410c3b1cb0c74e6177bfc"},
    {273, "0x3f02f134370e4debb95140ef49ddd3aed8c65ff1ed83a43f1b269421f179c5f9"},
    {1000, "0xaf692982e84a5a9688359025660a7857cd28ee7c8d867cfa1677baf2e6d1f63b"},
    {100000, "0x6471ac9ab04fbc0d56ac61af4d291f678837a91f8e5d581a2a921d242234b6c7"},
};

TEST(Keccak, MatchesAnIndependentImplementationAcrossBlockBoundaries) {
  for (const LengthCase& c : kLengthCases) {
    EXPECT_EQ(ToHex(Keccak256Hash(Pattern(c.length))), c.hash) << "length " << c.length;
  }
}

TEST(Keccak, IncrementalUpdatesInOddChunksMatchOneShot) {
  for (const LengthCase& c : kLengthCases) {
    Bytes input = Pattern(c.length);
    for (std::size_t chunk : {1u, 3u, 7u, 17u, 135u, 136u, 137u, 271u}) {
      Keccak256 hasher;
      for (std::size_t pos = 0; pos < input.size(); pos += chunk) {
        hasher.Update(ByteView(input).subspan(pos, std::min(chunk, input.size() - pos)));
      }
      EXPECT_EQ(ToHex(hasher.Finish()), c.hash) << "length " << c.length << " chunk " << chunk;
    }
  }
}

TEST(Keccak, EmptyUpdatesChangeNothing) {
  Keccak256 hasher;
  hasher.Update({}).Update(AsBytes("ab")).Update({}).Update(AsBytes("c")).Update({});
  EXPECT_EQ(ToHex(hasher.Finish()), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Keccak, FinishLeavesTheHasherReadyForANewMessage) {
  Keccak256 hasher;
  hasher.Update(AsBytes("something else"));
  (void)hasher.Finish();
  hasher.Update(AsBytes("abc"));
  EXPECT_EQ(ToHex(hasher.Finish()), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Keccak, HashesAMillionAs) {
  // The published Keccak-256 of one million 'a' (also reproduced with viem).
  std::string input(1000000, 'a');
  EXPECT_EQ(ToHex(Keccak256Hash(AsBytes(input))),
            "0xfadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96");
}

}  // namespace
}  // namespace mpp::crypto
