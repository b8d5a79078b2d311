#include "tempo/escrow_abi.h"

#include <gtest/gtest.h>

#include "crypto/keccak.h"
#include "session_vectors.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

ChannelDescriptor VoucherDescriptor() { return SDescriptor(SessionVectors()["vouchers"]["descriptor"]); }

std::string Words(std::initializer_list<std::string_view> words) {
  std::string out;
  for (auto w : words) out += std::string(64 - w.size(), '0') + std::string(w);
  return out;
}

// The descriptor of the vectors as ABI words, lowercase hex without 0x.
const std::string kDescriptorWords =
    Words({"346a1e1e9456f9b42a2b7b712ebe4be1ec923a6d", "15d34aaf54267db7d7c367839aaf71a00a2c6a65", "0",
           "20c000000000000000000000b9537d11c60e8b50",
           "1111111111111111111111111111111111111111111111111111111111111111",
           "346a1e1e9456f9b42a2b7b712ebe4be1ec923a6d",
           "2222222222222222222222222222222222222222222222222222222222222222"});

TEST(EscrowAbi, SelectorsAreTheKeccakOfTheCanonicalSignatures) {
  const auto& functions = SessionVectors()["escrowAbi"]["functions"];
  auto check = [&](const char* name, const Selector& selector) {
    SCOPED_TRACE(name);
    Hash32 h = crypto::Keccak256Hash(AsBytes(SText(functions[name]["signature"])));
    EXPECT_EQ((Selector{h[0], h[1], h[2], h[3]}), selector);
    EXPECT_EQ(ToHex(selector), SText(functions[name]["selector"]));
  };
  check("open", kEscrowOpenSelector);
  check("settle", kEscrowSettleSelector);
  check("topUp", kEscrowTopUpSelector);
  check("close", kEscrowCloseSelector);
  check("requestClose", kEscrowRequestCloseSelector);
  check("withdraw", kEscrowWithdrawSelector);
  check("getChannel", kEscrowGetChannelSelector);
  check("getChannelState", kEscrowGetChannelStateSelector);
  check("CLOSE_GRACE_PERIOD", kEscrowCloseGracePeriodSelector);
}

TEST(EscrowAbi, CloseGracePeriodIsOneUint64Word) {
  EXPECT_EQ(ToHex(CloseGracePeriodCalldata()), "0x956c8327");
  Bytes word(32, 0);
  word[30] = 0x03;
  word[31] = 0x84;
  auto grace = DecodeCloseGracePeriod(word);
  ASSERT_TRUE(grace) << grace.error().message;
  EXPECT_EQ(*grace, kDefaultCloseGraceSeconds);
  EXPECT_FALSE(DecodeCloseGracePeriod(Bytes(31, 0)));
  word[23] = 1;  // 2^64: above uint64
  auto big = DecodeCloseGracePeriod(word);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, ErrorKind::kNetwork);
}

TEST(EscrowAbi, OpenCalldataMatchesTheVectorAndDecodesBack) {
  const auto& inputs = SessionVectors()["inputs"];
  OpenArguments arguments{SAddress(inputs["payee"]), SAddress(inputs["operator"]),
                          SAddress(inputs["token"]), U256(5000),
                          SHash(inputs["salt"]),     SAddress(inputs["address"])};
  Bytes calldata = OpenCalldata(arguments);
  EXPECT_EQ(ToHex(calldata), SText(SessionVectors()["open"]["tx"]["calls"][0]["input"]));
  EXPECT_EQ(DecodeOpenCalldata(calldata), arguments);

  Bytes dirty = calldata;
  dirty[4] = 1;  // upper byte of the payee word
  EXPECT_FALSE(DecodeOpenCalldata(dirty));
  Bytes big_deposit = calldata;
  big_deposit[4 + 3 * 32 + 19] = 1;  // one bit above uint96 in the deposit word
  EXPECT_FALSE(DecodeOpenCalldata(big_deposit));
  EXPECT_FALSE(DecodeOpenCalldata(ByteView(calldata).first(calldata.size() - 1)));
  Bytes wrong_selector = calldata;
  wrong_selector[0] ^= 1;
  EXPECT_FALSE(DecodeOpenCalldata(wrong_selector));
}

TEST(EscrowAbi, TopUpAndGetChannelStateMatchTheVectors) {
  const auto& c = SessionVectors()["calldata"];
  EXPECT_EQ(
      ToHex(TopUpCalldata(SDescriptor(c["topUp"]["descriptor"]), SAmount(c["topUp"]["additionalDeposit"]))),
      SText(c["topUp"]["calldata"]));
  EXPECT_EQ(ToHex(GetChannelStateCalldata(SHash(c["getChannelState"]["channelId"]))),
            SText(c["getChannelState"]["calldata"]));
}

TEST(EscrowAbi, DescriptorCallsAreTheSelectorAndSevenWords) {
  ChannelDescriptor d = VoucherDescriptor();
  EXPECT_EQ(ToHex(RequestCloseCalldata(d)), "0x675402e5" + kDescriptorWords);
  EXPECT_EQ(ToHex(WithdrawCalldata(d)), "0x41e2c664" + kDescriptorWords);
  EXPECT_EQ(ToHex(GetChannelCalldata(d)), "0xeef95313" + kDescriptorWords);
}

// Expected bytes from viem's encodeFunctionData with the mppx 0.11 escrow ABI.
TEST(EscrowAbi, SettleAndCloseEncodeTheSignatureAsDynamicBytes) {
  ChannelDescriptor d = VoucherDescriptor();
  Bytes signature(65, 0xab);
  signature[64] = 0x1b;
  std::string sig_words;
  for (int i = 0; i < 64; ++i) sig_words += "ab";
  sig_words += "1b" + std::string(62, '0');
  EXPECT_EQ(ToHex(SettleCalldata(d, U256(12345), signature)),
            "0x97fb5104" + kDescriptorWords + Words({"3039", "120", "41"}) + sig_words);
  EXPECT_EQ(ToHex(CloseCalldata(d, U256(14000), U256(13000), signature)),
            "0x73b57f74" + kDescriptorWords + Words({"36b0", "32c8", "140", "41"}) + sig_words);
}

TEST(EscrowAbi, DecodesChannelState) {
  Bytes data = FromHex(Words({"3e8", "1388", "6553f100"})).value();
  auto state = DecodeChannelState(data);
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->settled, U256(1000));
  EXPECT_EQ(state->deposit, U256(5000));
  EXPECT_EQ(state->close_requested_at, 1700000000u);
  EXPECT_TRUE(state->Exists());
  auto absent = DecodeChannelState(Bytes(96, 0));
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->Exists());
}

TEST(EscrowAbi, RefusesMalformedChannelState) {
  EXPECT_FALSE(DecodeChannelState(Bytes(95, 0)));
  EXPECT_FALSE(DecodeChannelState(Bytes(128, 0)));
  EXPECT_FALSE(DecodeChannelState({}));
  Bytes above_uint96 = FromHex(Words({"1000000000000000000000000", "1", "0"})).value();
  auto refused = DecodeChannelState(above_uint96);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kNetwork);
  EXPECT_FALSE(DecodeChannelState(FromHex(Words({"0", "1", "10000000000000000"})).value()));
}

TEST(EscrowAbi, DecodesGetChannelAndRefusesDirtyAddresses) {
  Bytes data = FromHex(kDescriptorWords + Words({"0", "1388", "0"})).value();
  auto view = DecodeGetChannel(data);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->descriptor, VoucherDescriptor());
  EXPECT_EQ(view->state, (ChannelState{U256(0), U256(5000), 0}));

  Bytes dirty = data;
  dirty[0] = 0xff;
  EXPECT_FALSE(DecodeGetChannel(dirty));
  EXPECT_FALSE(DecodeGetChannel(ByteView(data).first(288)));
}

TEST(EscrowAbi, NamesEveryEscrowErrorOfTheVectors) {
  int checked = 0;
  for (const auto& e : SessionVectors()["escrowAbi"]["errors"].GetObject()) {
    std::string name(e.name.GetString(), e.name.GetStringLength());
    SCOPED_TRACE(name);
    Hash32 h = crypto::Keccak256Hash(AsBytes(name + "()"));
    EXPECT_EQ(ToHex(ByteView(h).first(4)), SText(e.value));
    EXPECT_EQ(EscrowErrorName(SBytes(e.value)), name);
    ++checked;
  }
  EXPECT_EQ(checked, 14);
  EXPECT_FALSE(EscrowErrorName(FromHex("0x0ec0f1").value()));
  EXPECT_FALSE(EscrowErrorName(FromHex("0xdeadbeef").value()));
}

}  // namespace
}  // namespace mpp::tempo
