#include "tempo/tip20.h"

#include <gtest/gtest.h>

#include "../crypto/vectors.h"
#include "crypto/keccak.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using mpp::testing::HexBytes;
using mpp::testing::Str;
using mpp::testing::Vectors;

crypto::Address Addr(std::string_view text) { return crypto::Address::Parse(text).value(); }

Hash32 MemoFromVectors() {
  Hash32 memo{};
  Bytes bytes = HexBytes(Str(Vectors()["transferWithMemoCalldata"]["memo"]));
  std::copy(bytes.begin(), bytes.end(), memo.begin());
  return memo;
}

TEST(Tip20, SelectorsAreTheKeccakOfTheSignatures) {
  auto selector = [](std::string_view signature) {
    Hash32 h = crypto::Keccak256Hash(AsBytes(signature));
    return Selector{h[0], h[1], h[2], h[3]};
  };
  EXPECT_EQ(selector("transfer(address,uint256)"), kTransferSelector);
  EXPECT_EQ(selector("transferWithMemo(address,uint256,bytes32)"), kTransferWithMemoSelector);
  EXPECT_EQ(selector("balanceOf(address)"), kBalanceOfSelector);
  EXPECT_EQ(selector("decimals()"), kDecimalsSelector);
}

TEST(Tip20, TransferWithMemoMatchesTheVector) {
  const auto& v = Vectors()["transferWithMemoCalldata"];
  Bytes calldata = TransferWithMemoCalldata(Addr(Str(v["recipient"])), *U256::FromDecimal(Str(v["amount"])),
                                            MemoFromVectors());
  EXPECT_EQ(ToHex(calldata), Str(v["calldata"]));
}

TEST(Tip20, TransferMatchesTheCallInVectorV7) {
  const auto& call = Vectors()["transactions"][6]["tx"]["calls"][0];
  Bytes calldata = TransferCalldata(Addr("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), 1000000);
  EXPECT_EQ(ToHex(calldata), Str(call["input"]));
}

TEST(Tip20, BalanceOfAndDecimalsCalldata) {
  EXPECT_EQ(ToHex(BalanceOfCalldata(Addr("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"))),
            "0x70a08231000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  EXPECT_EQ(ToHex(DecimalsCalldata()), "0x313ce567");
}

TEST(Tip20, DecodesWhatItEncodes) {
  crypto::Address to = Addr("0x742d35cc6634c0532925a3b844bc9e7595f8fe00");
  auto plain = DecodeTransferCalldata(TransferCalldata(to, U256::Max()));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->to, to);
  EXPECT_EQ(plain->amount, U256::Max());
  EXPECT_FALSE(plain->memo);
  auto with_memo = DecodeTransferCalldata(TransferWithMemoCalldata(to, 5000, MemoFromVectors()));
  ASSERT_TRUE(with_memo);
  EXPECT_EQ(with_memo->amount, U256(5000));
  EXPECT_EQ(with_memo->memo, MemoFromVectors());
}

TEST(Tip20, DecoderRejectsOtherSelectorsLengthsAndDirtyAddressWords) {
  crypto::Address to = Addr("0x742d35cc6634c0532925a3b844bc9e7595f8fe00");
  Bytes calldata = TransferCalldata(to, 1);
  EXPECT_FALSE(DecodeTransferCalldata(BalanceOfCalldata(to)));
  EXPECT_FALSE(DecodeTransferCalldata(ByteView(calldata).first(67)));
  Bytes longer = calldata;
  longer.push_back(0);
  EXPECT_FALSE(DecodeTransferCalldata(longer));
  Bytes dirty = calldata;
  dirty[4] = 1;
  EXPECT_FALSE(DecodeTransferCalldata(dirty));
  EXPECT_FALSE(DecodeTransferCalldata({}));
  Bytes memo_selector_short = TransferWithMemoCalldata(to, 1, Hash32{});
  memo_selector_short.resize(68);
  EXPECT_FALSE(DecodeTransferCalldata(memo_selector_short));
}

TEST(Tip20, DecodesAUint256ReturnWord) {
  Bytes word(32, 0);
  word[31] = 0x40;
  word[30] = 0x42;
  word[29] = 0x0f;
  EXPECT_EQ(DecodeUint256Word(word), U256(1000000));
  EXPECT_FALSE(DecodeUint256Word(Bytes(31, 0)));
  EXPECT_FALSE(DecodeUint256Word(Bytes(64, 0)));
}

}  // namespace
}  // namespace mpp::tempo
