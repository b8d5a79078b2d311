#include "tempo/escrow_transaction.h"

#include <gtest/gtest.h>

#include "session_vectors.h"
#include "tempo/escrow_abi.h"
#include "tempo/voucher.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

const rapidjson::Value& OpenVector() { return SessionVectors()["open"]; }

EscrowTxSettings VectorSettings(bool sponsored) {
  const auto& t = OpenVector()["tx"];
  EscrowTxSettings s;
  s.chain_id = t["chainId"].GetUint64();
  s.gas_limit = t["gasLimit"].GetUint64();
  s.max_fee_per_gas = SAmount(t["maxFeePerGas"]);
  s.max_priority_fee_per_gas = SAmount(t["maxPriorityFeePerGas"]);
  s.valid_before = t["validBefore"].GetUint64();
  s.valid_after = t["validAfter"].GetUint64();
  s.sponsored = sponsored;
  return s;
}

OpenTerms VectorTerms() {
  const auto& inputs = SessionVectors()["inputs"];
  OpenTerms terms;
  terms.escrow = SAddress(inputs["escrow"]);
  terms.payee = SAddress(inputs["payee"]);
  terms.operator_address = SAddress(inputs["operator"]);
  terms.token = SAddress(inputs["token"]);
  terms.deposit = SAmount(OpenVector()["deposit"]);
  terms.salt = SHash(inputs["salt"]);
  return terms;
}

void ExpectOpenMatches(const SignedOpen& open, const rapidjson::Value& v) {
  const TempoTransaction& tx = open.transaction.tx;
  EXPECT_EQ(ToHex(SenderSigningPreimage(tx)), SText(v["senderSigningPreimage"]));
  EXPECT_EQ(ToHex(SenderSigningHash(tx)), SText(v["senderSigningHash"]));
  ASSERT_TRUE(tx.sender_signature);
  EXPECT_EQ(ToHex(tx.sender_signature->r), SText(v["r"]));
  EXPECT_EQ(ToHex(tx.sender_signature->s), SText(v["s"]));
  EXPECT_EQ(tx.sender_signature->recovery_id, v["yParity"].GetInt());
  EXPECT_EQ(ToHex(open.descriptor.expiring_nonce_hash), SText(v["expiringNonceHash"]));
  EXPECT_EQ(open.descriptor, SDescriptor(v["descriptor"]));
  EXPECT_EQ(ToHex(open.channel_id), SText(v["channelId"]));
  // The credential's first voucher, over the channel this transaction creates.
  const auto& first = v["initialVoucher"];
  EXPECT_EQ(ToHex(SignVoucher(SessionPayerKey(), 4217, kChannelEscrow, open.channel_id,
                              SAmount(first["cumulativeAmount"]))),
            SText(first["signature"]));
}

TEST(EscrowTransaction, SelfPaidOpenMatchesTheVectorByteForByte) {
  const auto& v = OpenVector()["selfPaid"];
  auto open = SignOpenTransaction(VectorTerms(), VectorSettings(false), SessionPayerKey());
  ASSERT_TRUE(open) << open.error().message;
  ExpectOpenMatches(*open, v);
  EXPECT_EQ(open->transaction.tx.fee_token, SAddress(v["feeToken"]));
  EXPECT_EQ(ToHex(open->transaction.credential_bytes), SText(v["signedRaw"]));
  ASSERT_TRUE(open->transaction.tx_hash);
  EXPECT_EQ(ToHex(*open->transaction.tx_hash), SText(v["txHash"]));
  ASSERT_EQ(open->transaction.tx.calls.size(), 1u);
  EXPECT_EQ(ToHex(open->transaction.tx.calls[0].input), SText(OpenVector()["tx"]["calls"][0]["input"]));
  EXPECT_EQ(open->transaction.tx.nonce_key, U256::Max());
  EXPECT_EQ(open->transaction.tx.nonce, 0u);
}

TEST(EscrowTransaction, SponsoredOpenCarriesTheFeePayerHandOff) {
  const auto& v = OpenVector()["sponsored"];
  auto open = SignOpenTransaction(VectorTerms(), VectorSettings(true), SessionPayerKey());
  ASSERT_TRUE(open) << open.error().message;
  ExpectOpenMatches(*open, v);
  EXPECT_FALSE(open->transaction.tx.fee_token);
  EXPECT_EQ(ToHex(open->transaction.credential_bytes), SText(v["credentialEnvelope0x78"]));
  EXPECT_FALSE(open->transaction.tx_hash);  // the sponsor's co-signature decides the final hash
}

TEST(EscrowTransaction, SponsoringIgnoresAConfiguredFeeToken) {
  EscrowTxSettings settings = VectorSettings(true);
  settings.fee_token = SAddress(SessionVectors()["inputs"]["token"]);
  auto open = SignOpenTransaction(VectorTerms(), settings, SessionPayerKey());
  ASSERT_TRUE(open);
  EXPECT_EQ(ToHex(open->transaction.credential_bytes),
            SText(OpenVector()["sponsored"]["credentialEnvelope0x78"]));
}

TEST(EscrowTransaction, FreshSaltAndWindowGiveADifferentChannel) {
  OpenTerms terms = VectorTerms();
  terms.salt = RandomSalt();
  EscrowTxSettings settings = VectorSettings(false);
  SetExpiringWindow(settings, 1'800'000'000);
  EXPECT_EQ(settings.valid_before, 1'800'000'025u);
  EXPECT_LE(settings.valid_after, 1'800'000'000u - 61);
  auto open = SignOpenTransaction(terms, settings, SessionPayerKey());
  ASSERT_TRUE(open);
  EXPECT_NE(ToHex(open->channel_id), SText(OpenVector()["selfPaid"]["channelId"]));
  EXPECT_EQ(open->descriptor.salt, terms.salt);
  EXPECT_EQ(ChannelId(open->descriptor, kChannelEscrow, 4217), open->channel_id);
  EXPECT_NE(RandomSalt(), RandomSalt());
}

TEST(EscrowTransaction, RandomPastValidAfterStaysInThePast) {
  EXPECT_EQ(RandomPastValidAfter(0), 0u);
  EXPECT_EQ(RandomPastValidAfter(60), 0u);
  EXPECT_EQ(RandomPastValidAfter(61), 0u);
  for (int i = 0; i < 100; ++i) EXPECT_LT(RandomPastValidAfter(1000), 940u);
}

TEST(EscrowTransaction, OpenRefusesAZeroOrOversizedDeposit) {
  OpenTerms terms = VectorTerms();
  terms.deposit = U256(0);
  auto zero = SignOpenTransaction(terms, VectorSettings(false), SessionPayerKey());
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().kind, ErrorKind::kPaymentRefusedLocally);
  terms.deposit = *U256::CheckedAdd(Uint96Max(), 1);
  EXPECT_FALSE(SignOpenTransaction(terms, VectorSettings(false), SessionPayerKey()));
  terms.deposit = Uint96Max();
  EXPECT_TRUE(SignOpenTransaction(terms, VectorSettings(false), SessionPayerKey()));
}

TEST(EscrowTransaction, TopUpCallsTheEscrowAndDecodesAsThePayers) {
  ChannelDescriptor d = SDescriptor(SessionVectors()["open"]["selfPaid"]["descriptor"]);
  auto top_up = SignTopUpTransaction(d, U256(5000), kChannelEscrow, VectorSettings(false), SessionPayerKey());
  ASSERT_TRUE(top_up) << top_up.error().message;
  const TempoTransaction& tx = top_up->tx;
  ASSERT_EQ(tx.calls.size(), 1u);
  EXPECT_EQ(tx.calls[0].to, kChannelEscrow);
  EXPECT_EQ(tx.calls[0].input, TopUpCalldata(d, U256(5000)));
  EXPECT_EQ(tx.fee_token, d.token);
  EXPECT_EQ(tx.nonce_key, U256::Max());
  auto decoded = DecodeSignedTransaction(top_up->credential_bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->sender, d.payer);
  EXPECT_EQ(decoded->hash, *top_up->tx_hash);

  auto sponsored =
      SignTopUpTransaction(d, U256(5000), kChannelEscrow, VectorSettings(true), SessionPayerKey());
  ASSERT_TRUE(sponsored);
  EXPECT_EQ(sponsored->credential_bytes[0], kFeePayerMagic);
  auto envelope = DecodeSignedTransaction(sponsored->credential_bytes);
  ASSERT_TRUE(envelope) << envelope.error().message;
  EXPECT_TRUE(envelope->is_fee_payer_envelope);
  EXPECT_EQ(envelope->sender, d.payer);
}

TEST(EscrowTransaction, TopUpRefusesZeroOversizedAndAnotherPayer) {
  ChannelDescriptor d = SDescriptor(SessionVectors()["open"]["selfPaid"]["descriptor"]);
  EXPECT_FALSE(SignTopUpTransaction(d, U256(0), kChannelEscrow, VectorSettings(false), SessionPayerKey()));
  EXPECT_FALSE(SignTopUpTransaction(d, *U256::CheckedAdd(Uint96Max(), 1), kChannelEscrow,
                                    VectorSettings(false), SessionPayerKey()));
  d.payer = d.payee;
  auto other = SignTopUpTransaction(d, U256(1), kChannelEscrow, VectorSettings(false), SessionPayerKey());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::kPaymentRefusedLocally);
}

// The payer's own forced-close calls: one escrow call each, self-paid in the channel's token on the
// expiring nonce, signed by the payer, decodable as the payer's.
void ExpectPayerEscrowCall(const Result<SignedEscrowTransaction>& signed_tx, const Bytes& calldata,
                           const ChannelDescriptor& d) {
  ASSERT_TRUE(signed_tx) << signed_tx.error().message;
  const TempoTransaction& tx = signed_tx->tx;
  ASSERT_EQ(tx.calls.size(), 1u);
  EXPECT_EQ(tx.calls[0].to, kChannelEscrow);
  EXPECT_EQ(tx.calls[0].input, calldata);
  EXPECT_EQ(tx.fee_token, d.token);
  EXPECT_EQ(tx.nonce_key, U256::Max());
  EXPECT_EQ(tx.nonce, 0u);
  ASSERT_TRUE(signed_tx->tx_hash);
  auto decoded = DecodeSignedTransaction(signed_tx->credential_bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_FALSE(decoded->is_fee_payer_envelope);
  EXPECT_EQ(decoded->sender, d.payer);
  EXPECT_EQ(decoded->hash, *signed_tx->tx_hash);
}

TEST(EscrowTransaction, RequestCloseAndWithdrawAreThePayersOwnSelfPaidCalls) {
  ChannelDescriptor d = SDescriptor(SessionVectors()["open"]["selfPaid"]["descriptor"]);
  auto request_close =
      SignRequestCloseTransaction(d, kChannelEscrow, VectorSettings(false), SessionPayerKey());
  ExpectPayerEscrowCall(request_close, RequestCloseCalldata(d), d);
  EXPECT_EQ(ToHex(ByteView(request_close->tx.calls[0].input.data(), 4)), "0x675402e5");
  auto withdraw = SignWithdrawTransaction(d, kChannelEscrow, VectorSettings(false), SessionPayerKey());
  ExpectPayerEscrowCall(withdraw, WithdrawCalldata(d), d);
  EXPECT_EQ(ToHex(ByteView(withdraw->tx.calls[0].input.data(), 4)), "0x41e2c664");
  EXPECT_NE(*request_close->tx_hash, *withdraw->tx_hash);
}

TEST(EscrowTransaction, ForcedCloseCallsRefuseAFeePayerAndAnotherPayer) {
  ChannelDescriptor d = SDescriptor(SessionVectors()["open"]["selfPaid"]["descriptor"]);
  auto sponsored = SignRequestCloseTransaction(d, kChannelEscrow, VectorSettings(true), SessionPayerKey());
  ASSERT_FALSE(sponsored);
  EXPECT_EQ(sponsored.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_FALSE(SignWithdrawTransaction(d, kChannelEscrow, VectorSettings(true), SessionPayerKey()));
  d.payer = d.payee;
  auto other = SignWithdrawTransaction(d, kChannelEscrow, VectorSettings(false), SessionPayerKey());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_FALSE(SignRequestCloseTransaction(d, kChannelEscrow, VectorSettings(false), SessionPayerKey()));
}

}  // namespace
}  // namespace mpp::tempo
