#include "tempo/channel.h"

#include <gtest/gtest.h>

#include "session_vectors.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

TEST(Channel, EscrowIsTheCanonicalPrecompile) {
  EXPECT_EQ(kChannelEscrow, SAddress(SessionVectors()["inputs"]["escrow"]));
  EXPECT_EQ(kChannelEscrow.ToLowerHex(), "0x4d50500000000000000000000000000000000000");
}

TEST(Channel, IdAndPreimageMatchTheVectorsOnBothChains) {
  const auto& vouchers = SessionVectors()["vouchers"];
  ChannelDescriptor descriptor = SDescriptor(vouchers["descriptor"]);
  int checked = 0;
  for (const auto& chain : vouchers["byChain"].GetArray()) {
    std::uint64_t chain_id = chain["chainId"].GetUint64();
    SCOPED_TRACE(chain_id);
    Bytes preimage = ChannelIdPreimage(descriptor, kChannelEscrow, chain_id);
    EXPECT_EQ(preimage.size(), 9u * 32u);
    if (chain.HasMember("channelIdPreimage")) {
      EXPECT_EQ(ToHex(preimage), SText(chain["channelIdPreimage"]));
    }
    EXPECT_EQ(ToHex(ChannelId(descriptor, kChannelEscrow, chain_id)), SText(chain["channelId"]));
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(Channel, EveryDescriptorFieldChangesTheId) {
  ChannelDescriptor base = SDescriptor(SessionVectors()["vouchers"]["descriptor"]);
  const Hash32 id = ChannelId(base, kChannelEscrow, 4217);
  auto changed = [&](auto mutate) {
    ChannelDescriptor d = base;
    mutate(d);
    return ChannelId(d, kChannelEscrow, 4217) != id;
  };
  EXPECT_TRUE(changed([](ChannelDescriptor& d) { d.payer.bytes[19] ^= 1; }));
  EXPECT_TRUE(changed([](ChannelDescriptor& d) { d.payee.bytes[19] ^= 1; }));
  EXPECT_TRUE(changed([](ChannelDescriptor& d) { d.operator_address.bytes[19] ^= 1; }));
  EXPECT_TRUE(changed([](ChannelDescriptor& d) { d.token.bytes[19] ^= 1; }));
  EXPECT_TRUE(changed([](ChannelDescriptor& d) { d.salt[0] ^= 1; }));
  EXPECT_TRUE(changed([](ChannelDescriptor& d) { d.authorized_signer.bytes[19] ^= 1; }));
  EXPECT_TRUE(changed([](ChannelDescriptor& d) { d.expiring_nonce_hash[31] ^= 1; }));
  EXPECT_NE(ChannelId(base, kChannelEscrow, 42431), id);
  crypto::Address other_escrow = kChannelEscrow;
  other_escrow.bytes[19] = 1;
  EXPECT_NE(ChannelId(base, other_escrow, 4217), id);
}

TEST(Channel, VoucherSignerIsThePayerWhenNoneIsAuthorized) {
  ChannelDescriptor d = SDescriptor(SessionVectors()["vouchers"]["descriptor"]);
  d.authorized_signer = crypto::Address::Parse("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65").value();
  EXPECT_EQ(d.VoucherSigner(), d.authorized_signer);
  d.authorized_signer = crypto::Address{};
  EXPECT_EQ(d.VoucherSigner(), d.payer);
}

TEST(Channel, Uint96Bounds) {
  EXPECT_EQ(Uint96Max().ToDecimal(), "79228162514264337593543950335");
  EXPECT_TRUE(FitsUint96(Uint96Max()));
  EXPECT_FALSE(FitsUint96(*U256::CheckedAdd(Uint96Max(), 1)));
  EXPECT_TRUE(FitsUint96(U256(0)));
}

}  // namespace
}  // namespace mpp::tempo
