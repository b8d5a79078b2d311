#include "tempo/voucher.h"

#include <gtest/gtest.h>

#include "crypto/keccak.h"
#include "session_vectors.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

std::string KeccakHex(std::string_view text) { return ToHex(crypto::Keccak256Hash(AsBytes(text))); }

TEST(Voucher, TypeAndNameHashesMatchTheVectors) {
  const auto& e = SessionVectors()["eip712"];
  EXPECT_EQ(KeccakHex(SText(e["domainType"])), SText(e["domainTypeHash"]));
  EXPECT_EQ(KeccakHex(SText(e["name"])), SText(e["nameHash"]));
  EXPECT_EQ(KeccakHex(SText(e["version"])), SText(e["versionHash"]));
  EXPECT_EQ(KeccakHex(SText(e["voucherType"])), SText(e["voucherTypeHash"]));
  EXPECT_EQ(SText(e["name"]), "TIP20 Channel Reserve");
}

TEST(Voucher, DomainSeparatorPerChain) {
  const auto& separators = SessionVectors()["eip712"]["domainSeparator"];
  EXPECT_EQ(ToHex(VoucherDomainSeparator(4217, kChannelEscrow)), SText(separators["4217"]));
  EXPECT_EQ(ToHex(VoucherDomainSeparator(42431, kChannelEscrow)), SText(separators["42431"]));
}

TEST(Voucher, StructHashDigestAndSignatureMatchEveryRow) {
  crypto::PrivateKey key = SessionPayerKey();
  const crypto::Address payer = SAddress(SessionVectors()["inputs"]["address"]);
  int checked = 0;
  for (const auto& chain : SessionVectors()["vouchers"]["byChain"].GetArray()) {
    std::uint64_t chain_id = chain["chainId"].GetUint64();
    Hash32 channel_id = SHash(chain["channelId"]);
    for (const auto& row : chain["rows"].GetArray()) {
      U256 amount = SAmount(row["cumulativeAmount"]);
      SCOPED_TRACE(std::to_string(chain_id) + " " + amount.ToDecimal());
      EXPECT_EQ(ToHex(VoucherStructHash(channel_id, amount)), SText(row["structHash"]));
      EXPECT_EQ(ToHex(VoucherDigest(chain_id, kChannelEscrow, channel_id, amount)), SText(row["digest"]));
      VoucherSignature signature = SignVoucher(key, chain_id, kChannelEscrow, channel_id, amount);
      EXPECT_EQ(ToHex(signature), SText(row["signature"]));
      EXPECT_TRUE(signature[64] == 27 || signature[64] == 28);
      EXPECT_EQ(RecoverVoucherSigner(chain_id, kChannelEscrow, channel_id, amount, signature), payer);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8);
}

TEST(Voucher, TheLastRowIsTheUint96Maximum) {
  const auto& rows = SessionVectors()["vouchers"]["byChain"][0]["rows"];
  EXPECT_EQ(SAmount(rows[rows.Size() - 1]["cumulativeAmount"]), Uint96Max());
}

TEST(Voucher, RecoveryRefusesTamperedOrMalformedSignatures) {
  crypto::PrivateKey key = SessionPayerKey();
  const crypto::Address payer = crypto::Address::FromPublicKey(key.GetPublicKey());
  Hash32 channel_id = SHash(SessionVectors()["vouchers"]["byChain"][0]["channelId"]);
  VoucherSignature signature = SignVoucher(key, 4217, kChannelEscrow, channel_id, U256(1000));
  // Another amount, chain or channel recovers someone else.
  EXPECT_NE(RecoverVoucherSigner(4217, kChannelEscrow, channel_id, U256(1001), signature), payer);
  EXPECT_NE(RecoverVoucherSigner(42431, kChannelEscrow, channel_id, U256(1000), signature), payer);
  Hash32 other = channel_id;
  other[0] ^= 1;
  EXPECT_NE(RecoverVoucherSigner(4217, kChannelEscrow, other, U256(1000), signature), payer);
  // 64-byte compact and a bad v are not signatures.
  EXPECT_FALSE(
      RecoverVoucherSigner(4217, kChannelEscrow, channel_id, U256(1000), ByteView(signature).first(64)));
  VoucherSignature bad_v = signature;
  bad_v[64] = 29;
  EXPECT_FALSE(RecoverVoucherSigner(4217, kChannelEscrow, channel_id, U256(1000), bad_v));
}

}  // namespace
}  // namespace mpp::tempo
