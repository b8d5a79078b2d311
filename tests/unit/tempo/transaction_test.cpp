#include "tempo/transaction.h"

#include <gtest/gtest.h>

#include "tempo/tip20.h"
#include "util/hex.h"
#include "vector_transactions.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

std::string Hex32(const Hash32& h) { return ToHex(h); }

class TransactionVectors : public ::testing::Test {
 protected:
  static const rapidjson::Value& All() { return Vectors()["transactions"]; }
};

TEST_F(TransactionVectors, FileHasAllEightTransactions) {
  ASSERT_TRUE(All().IsArray());
  EXPECT_EQ(All().Size(), 8u);
}

TEST_F(TransactionVectors, SelfPaidMatchByteForByte) {
  int checked = 0;
  for (const auto& v : All().GetArray()) {
    if (IsSponsored(v)) continue;
    SCOPED_TRACE(Str(v["name"]));
    TempoTransaction tx = TransactionFrom(v);
    crypto::PrivateKey key = KeyFrom(v["senderPrivateKey"]);
    EXPECT_EQ(ToHex(UnsignedSerialization(tx)), Expect(v, "unsignedSerialization"));
    EXPECT_EQ(ToHex(SenderSigningPreimage(tx)), Expect(v, "senderSigningPreimage"));
    EXPECT_EQ(Hex32(SenderSigningHash(tx)), Expect(v, "senderSigningHash"));
    const crypto::RecoverableSignature& sig = SignAsSender(tx, key);
    EXPECT_EQ(Hex32(sig.r), Expect(v, "r"));
    EXPECT_EQ(Hex32(sig.s), Expect(v, "s"));
    EXPECT_EQ(sig.recovery_id, v["expect"]["yParity"].GetInt());
    Bytes raw = SignedRaw(tx);
    EXPECT_EQ(ToHex(raw), Expect(v, "signedRaw"));
    EXPECT_EQ(Hex32(TxHash(raw)), Expect(v, "txHash"));
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST_F(TransactionVectors, SponsoredMatchByteForByte) {
  int checked = 0;
  for (const auto& v : All().GetArray()) {
    if (!IsSponsored(v)) continue;
    SCOPED_TRACE(Str(v["name"]));
    TempoTransaction tx = TransactionFrom(v);
    crypto::PrivateKey key = KeyFrom(v["senderPrivateKey"]);
    crypto::Address sender = Addr(v["sender"]);
    EXPECT_EQ(crypto::Address::FromPublicKey(key.GetPublicKey()), sender);

    EXPECT_EQ(ToHex(SenderSigningPreimage(tx)), Expect(v, "senderSigningPreimage"));
    EXPECT_EQ(Hex32(SenderSigningHash(tx)), Expect(v, "senderSigningHash"));
    const crypto::RecoverableSignature& sig = SignAsSender(tx, key);
    EXPECT_EQ(Hex32(sig.r), Expect(v, "r"));
    EXPECT_EQ(Hex32(sig.s), Expect(v, "s"));
    EXPECT_EQ(sig.recovery_id, v["expect"]["yParity"].GetInt());
    EXPECT_EQ(ToHex(FeePayerEnvelope0x78(tx, sender)), Expect(v, "credentialEnvelope0x78"));
    EXPECT_EQ(ToHex(SignedRaw(tx)), Expect(v, "handoff0x76WithZeroMarker"));

    // The sponsor's side: it picks the fee token, signs, and broadcasts the co-signed 0x76.
    Hash32 sender_hash = SenderSigningHash(tx);
    tx.fee_token = Addr(v["feeTokenChosenBySponsor"]);
    EXPECT_EQ(ToHex(FeePayerSigningPreimage(tx, sender)), Expect(v, "feePayerSigningPreimage"));
    EXPECT_EQ(Hex32(FeePayerSigningHash(tx, sender)), Expect(v, "feePayerSigningHash"));
    const crypto::RecoverableSignature& fee_sig =
        SignAsFeePayer(tx, sender, KeyFrom(v["feePayerPrivateKey"]));
    EXPECT_EQ(Hex32(fee_sig.r), Expect(v, "feePayerR"));
    EXPECT_EQ(Hex32(fee_sig.s), Expect(v, "feePayerS"));
    EXPECT_EQ(fee_sig.recovery_id, v["expect"]["feePayerYParity"].GetInt());
    Bytes final_raw = SignedRaw(tx);
    EXPECT_EQ(ToHex(final_raw), Expect(v, "finalRaw"));
    EXPECT_EQ(Hex32(TxHash(final_raw)), Expect(v, "finalTxHash"));
    // The sponsor's choices do not change what the sender signed.
    EXPECT_EQ(SenderSigningHash(tx), sender_hash);
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(Transaction, SponsoredPreimageIgnoresAFeeTokenTheSenderSet) {
  const auto& v = Vectors()["transactions"][2];
  ASSERT_TRUE(IsSponsored(v));
  TempoTransaction tx = TransactionFrom(v);
  tx.fee_token = *crypto::Address::Parse("0x20c0000000000000000000000000000000000001");
  EXPECT_EQ(ToHex(SenderSigningPreimage(tx)), Expect(v, "senderSigningPreimage"));
}

TEST(Transaction, WritesFieldsThatTheVectorsLeaveEmpty) {
  TempoTransaction tx;
  tx.chain_id = 1;
  tx.calls.push_back(Call{*crypto::Address::Parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), 0, {}});
  tx.valid_after = 5;
  AccessListEntry entry;
  entry.address = tx.calls[0].to;
  entry.storage_keys.push_back(Hash32{});
  tx.access_list.push_back(entry);
  tx.aa_authorization_list.push_back(Bytes{0xc1, 0x01});
  tx.key_authorization = Bytes{0xc2, 0x02, 0x03};
  Bytes unsigned_bytes = UnsignedSerialization(tx);
  std::string hex = ToHex(unsigned_bytes);
  // access list [[address, [0x00 * 32]]], validAfter 5, aa list [[1]], key authorization [2, 3].
  EXPECT_NE(hex.find("f838f79470997970c51812dc3a010c7d01b50e0d17dc79c8e1a0" + std::string(64, '0')),
            std::string::npos);
  EXPECT_NE(hex.find("808080058080"
                     "c2c101"
                     "c20203"),
            std::string::npos)
      << hex;
}

TEST(Transaction, ExpiringNonceKeyIsAllOnes) { EXPECT_EQ(ExpiringNonceKey(), U256::Max()); }

TEST(Transaction, RealisticChargeMatchesVectorV4) {
  // Built the way the pay flow builds it, from the charge's parts rather than the vector's tx.
  const auto& v = Vectors()["transactions"][3];
  const auto& memo_vector = Vectors()["transferWithMemoCalldata"];
  Hash32 memo{};
  Bytes memo_bytes = HexBytes(Str(memo_vector["memo"]));
  std::copy(memo_bytes.begin(), memo_bytes.end(), memo.begin());
  crypto::Address token = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");
  TempoTransaction tx;
  tx.chain_id = 42431;
  tx.max_priority_fee_per_gas = kDefaultMaxPriorityFeePerGas;
  tx.max_fee_per_gas = kDefaultMaxFeePerGas;
  tx.gas_limit = kDefaultGasLimit;
  tx.calls.push_back(Call{token, 0, TransferWithMemoCalldata(Addr(memo_vector["recipient"]), 1000000, memo)});
  tx.nonce_key = ExpiringNonceKey();
  tx.nonce = 0;
  tx.valid_before = 1780000000;
  tx.fee_token = token;
  SignAsSender(tx, KeyFrom(v["senderPrivateKey"]));
  EXPECT_EQ(ToHex(SignedRaw(tx)), Expect(v, "signedRaw"));
}

}  // namespace
}  // namespace mpp::tempo
