#include "tempo/rlp.h"

#include <gtest/gtest.h>

#include "util/hex.h"

namespace mpp::tempo {
namespace {

Bytes H(std::string_view hex) { return FromHex(hex).value(); }

Result<RlpItem> DecodeHex(std::string_view hex) { return RlpDecode(H(hex)); }

TEST(Rlp, EncodesStringsByTheYellowPaperRules) {
  EXPECT_EQ(ToHex(RlpEncodeBytes(AsBytes("dog"))), "0x83646f67");
  EXPECT_EQ(ToHex(RlpEncodeBytes({})), "0x80");
  EXPECT_EQ(ToHex(RlpEncodeBytes(Bytes{0x00})), "0x00");
  EXPECT_EQ(ToHex(RlpEncodeBytes(Bytes{0x7f})), "0x7f");
  EXPECT_EQ(ToHex(RlpEncodeBytes(Bytes{0x80})), "0x8180");
  Bytes fifty_five(55, 0xaa);
  EXPECT_EQ(RlpEncodeBytes(fifty_five)[0], 0xb7);
  Bytes fifty_six(56, 0xaa);
  Bytes encoded = RlpEncodeBytes(fifty_six);
  EXPECT_EQ(ToHex(ByteView(encoded).first(2)), "0xb838");
  EXPECT_EQ(encoded.size(), 58u);
  Bytes big(1024, 0);
  EXPECT_EQ(ToHex(ByteView(RlpEncodeBytes(big)).first(3)), "0xb90400");
}

TEST(Rlp, EncodesIntegersAsMinimalBigEndian) {
  EXPECT_EQ(ToHex(RlpEncodeUint(0)), "0x80");
  EXPECT_EQ(ToHex(RlpEncodeUint(15)), "0x0f");
  EXPECT_EQ(ToHex(RlpEncodeUint(127)), "0x7f");
  EXPECT_EQ(ToHex(RlpEncodeUint(128)), "0x8180");
  EXPECT_EQ(ToHex(RlpEncodeUint(1024)), "0x820400");
  EXPECT_EQ(ToHex(RlpEncodeUint(U256::Max())),
            "0xa0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
}

TEST(Rlp, EncodesLists) {
  RlpList list;
  list.AddBytes(AsBytes("cat")).AddBytes(AsBytes("dog"));
  EXPECT_EQ(ToHex(list.Encode()), "0xc88363617483646f67");
  EXPECT_EQ(ToHex(RlpList().Encode()), "0xc0");
  // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
  RlpList empty;
  RlpList one;
  one.AddList(empty);
  RlpList two;
  two.AddList(empty).AddList(one);
  RlpList three;
  three.AddList(empty).AddList(one).AddList(two);
  EXPECT_EQ(ToHex(three.Encode()), "0xc7c0c1c0c3c0c1c0");
  RlpList long_list;
  long_list.AddBytes(Bytes(60, 1));
  EXPECT_EQ(ToHex(ByteView(long_list.Encode()).first(3)), "0xf83eb8");
}

TEST(Rlp, DecodesWhatItEncodes) {
  RlpList inner;
  inner.AddUint(1024).AddBytes({});
  RlpList list;
  list.AddBytes(AsBytes("dog")).AddList(inner).AddBytes(Bytes(100, 7)).AddUint(U256::Max());
  Bytes encoded = list.Encode();
  auto item = RlpDecode(encoded);
  ASSERT_TRUE(item.ok()) << item.error().message;
  ASSERT_TRUE(item->is_list);
  ASSERT_EQ(item->items.size(), 4u);
  EXPECT_EQ(item->items[0].bytes, Bytes(AsBytes("dog").begin(), AsBytes("dog").end()));
  EXPECT_EQ(item->items[1].items[0].AsUint("x").value(), U256(1024));
  EXPECT_EQ(item->items[1].items[1].AsUint("x").value(), U256(0));
  EXPECT_EQ(item->items[2].bytes, Bytes(100, 7));
  EXPECT_EQ(item->items[3].AsUint("x").value(), U256::Max());
  EXPECT_EQ(item->encoded, encoded);
  EXPECT_EQ(item->items[1].encoded, inner.Encode());
}

TEST(Rlp, RejectsSingleByteBelow0x80WithAPrefix) {
  EXPECT_FALSE(DecodeHex("0x8100").ok());
  EXPECT_FALSE(DecodeHex("0x817f").ok());
  EXPECT_TRUE(DecodeHex("0x8180").ok());
}

TEST(Rlp, RejectsLongFormForShortString) {
  EXPECT_FALSE(DecodeHex("0xb803646f67").ok());
  EXPECT_FALSE(DecodeHex("0xb837" + std::string(55 * 2, 'a')).ok());
  EXPECT_TRUE(DecodeHex("0xb838" + std::string(56 * 2, 'a')).ok());
}

TEST(Rlp, RejectsLongFormForShortList) {
  EXPECT_FALSE(DecodeHex("0xf80180").ok());
  EXPECT_TRUE(DecodeHex("0xc180").ok());
}

TEST(Rlp, RejectsLengthWithLeadingZero) {
  EXPECT_FALSE(DecodeHex("0xb90038" + std::string(56 * 2, 'a')).ok());
  EXPECT_FALSE(DecodeHex("0xf90038" + std::string(56 * 2, '8')).ok());
}

TEST(Rlp, RejectsTruncatedInput) {
  EXPECT_FALSE(DecodeHex("0x").ok());
  EXPECT_FALSE(DecodeHex("0x83646f").ok());
  EXPECT_FALSE(DecodeHex("0xb8").ok());
  EXPECT_FALSE(DecodeHex("0xb9ff").ok());
  EXPECT_FALSE(DecodeHex("0xc283").ok());
  EXPECT_FALSE(DecodeHex("0xc58364").ok());
}

TEST(Rlp, RejectsAChildThatOverrunsItsList) {
  // The list claims 2 bytes, its child string claims 3.
  EXPECT_FALSE(DecodeHex("0xc283646f67").ok());
}

TEST(Rlp, RejectsTrailingBytes) {
  EXPECT_FALSE(DecodeHex("0x8080").ok());
  EXPECT_FALSE(DecodeHex("0xc000").ok());
  EXPECT_FALSE(DecodeHex("0x83646f6700").ok());
}

TEST(Rlp, RejectsHugeClaimedLengthsWithoutAllocating) {
  EXPECT_FALSE(DecodeHex("0xbbffffffff").ok());
  EXPECT_FALSE(DecodeHex("0xbfffffffffffffffff00").ok());
  EXPECT_FALSE(DecodeHex("0xfbffffffff").ok());
  EXPECT_FALSE(DecodeHex("0xffffffffffffffffff").ok());
}

TEST(Rlp, LimitsNestingDepth) {
  auto nested = [](std::size_t depth) {
    Bytes out = {0xc0};
    for (std::size_t i = 1; i < depth; ++i) {
      Bytes wrapped = {static_cast<std::uint8_t>(0xc0 + out.size())};
      Append(wrapped, out);
      out = wrapped;
    }
    return out;
  };
  EXPECT_TRUE(RlpDecode(nested(kMaxRlpDepth)).ok());
  auto too_deep = RlpDecode(nested(kMaxRlpDepth + 1));
  ASSERT_FALSE(too_deep.ok());
  EXPECT_NE(too_deep.error().message.find("nested"), std::string::npos);
  // Deep nesting far beyond the limit is refused, not a stack overflow.
  Bytes deep = RlpList().Encode();
  for (int i = 0; i < 2000; ++i) deep = RlpWrapList(deep);
  EXPECT_FALSE(RlpDecode(deep).ok());
}

TEST(Rlp, ErrorsAreUsageErrors) {
  auto bad = DecodeHex("0x8100");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
}

TEST(Rlp, IntegersRejectLeadingZerosAndLists) {
  EXPECT_FALSE(DecodeHex("0x00")->AsUint("n").ok());
  EXPECT_FALSE(DecodeHex("0x820001")->AsUint("n").ok());
  EXPECT_FALSE(DecodeHex("0xc0")->AsUint("n").ok());
  EXPECT_FALSE(DecodeHex("0xa1" + std::string(66, 'f'))->AsUint("n").ok());
  auto error = DecodeHex("0x820001")->AsUint("gasLimit");
  EXPECT_NE(error.error().message.find("gasLimit"), std::string::npos);
  EXPECT_EQ(DecodeHex("0x820100")->AsUint("n").value(), U256(256));
}

TEST(Rlp, Uint64RejectsValuesAbove64Bits) {
  EXPECT_EQ(DecodeHex("0x88ffffffffffffffff")->AsUint64("n").value(), ~0ull);
  EXPECT_FALSE(DecodeHex("0x89010000000000000000")->AsUint64("n").ok());
}

TEST(Rlp, FixedBytesRequireTheExactSize) {
  EXPECT_TRUE(DecodeHex("0x820102")->AsFixedBytes("b", 2).ok());
  EXPECT_FALSE(DecodeHex("0x820102")->AsFixedBytes("b", 3).ok());
  EXPECT_FALSE(DecodeHex("0xc0")->AsFixedBytes("b", 0).ok());
}

TEST(Rlp, SurvivesEveryTruncationAndBitFlip) {
  RlpList inner;
  inner.AddBytes(Bytes(70, 3)).AddUint(99);
  RlpList list;
  list.AddBytes(AsBytes("dog")).AddList(inner).AddBytes(Bytes(200, 9));
  Bytes encoded = list.Encode();
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(RlpDecode(ByteView(encoded).first(n)).ok()) << n;
  }
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes mutated = encoded;
      mutated[i] ^= static_cast<std::uint8_t>(1 << bit);
      auto result = RlpDecode(mutated);  // any outcome but a crash
      if (result.ok()) {
        EXPECT_EQ(result->encoded, mutated);
      }
    }
  }
}

}  // namespace
}  // namespace mpp::tempo
