// What the pay flow makes of the answer to a paid request, as the real services give them
// (SERVICES.md): a refusal of the payment, a payment taken without delivery, and where a settled
// payment's hash comes from.
#include <gtest/gtest.h>

#include "mpp/flow.h"
#include "support/flow_fakes.h"
#include "tempo/chains.h"
#include "util/base64url.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

using testing::ChargeChallenge;
using testing::Response;

constexpr const char* kOutcomePayerKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr std::int64_t kOutcomeNow = 1'900'000'000;
constexpr const char* kReceiptHash = "0x2b5c0f1e4f1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d";

std::string UsdceCharge(const std::string& amount, bool fee_payer = false) {
  // The Locus request exactly: lowercase currency, chainId only.
  return R"({"amount":")" + amount +
         R"(","currency":"0x20c000000000000000000000b9537d11c60e8b50","methodDetails":{"chainId":4217)" +
         (fee_payer ? R"(,"feePayer":true)" : "") +
         R"(},"recipient":"0x060b0fB0Be9d90557577B3AEE480711067149Ff0"})";
}

std::string ReceiptHeader(const std::string& status = "success") {
  return EncodeBase64Url(R"({"method":"tempo","status":")" + status +
                         R"(","timestamp":"2030-01-01T00:00:00Z","reference":")" + kReceiptHash + R"("})");
}

class PayFlowOutcomeTest : public ::testing::Test {
 protected:
  PayFlowOutcomeTest() {
    policy_.chain_id = tempo::kMainnetChainId;
    policy_.max_amount = U256(100'000);
    for (const auto& token : tempo::FindChainById(tempo::kMainnetChainId)->tokens) {
      policy_.known_currencies.push_back(tempo::TokenAddress(token));
    }
  }

  Result<FlowResult> Pay(const std::string& charge, net::HttpResponse answer) {
    http_.steps.push_back(
        {Response(402, {{"WWW-Authenticate", ChargeChallenge("ch1", charge)}}), false, true});
    http_.steps.push_back({std::move(answer), false, true});
    FlowSettings settings{policy_, "", [] { return kOutcomeNow; }};
    PayFlow flow(
        http_, nullptr, ledger_,
        []() -> Result<crypto::PrivateKey> {
          return *crypto::PrivateKey::FromBytes(*FromHex(kOutcomePayerKey));
        },
        settings);
    net::HttpRequest request{"POST", "http://127.0.0.1:9/groq/chat", {}, R"({"model":"m","messages":[]})"};
    return flow.Perform(request, nullptr);
  }

  PayPolicy policy_;
  testing::ScriptedTransport http_;
  testing::MemoryLedger ledger_;
};

TEST_F(PayFlowOutcomeTest, LocusUpstreamFailureAfterSettlingIsPaidButNotDelivered) {
  auto result =
      Pay(UsdceCharge("6000"),
          Response(502, {},
                   R"({"success":false,"error":"Upstream API call failed","paymentId":"13be2934-c11a"})"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedByServer);  // exit 4
  const std::string& text = result.error().message;
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_NE(text.find("paid 0.006 USDC.e"), std::string::npos) << text;
  EXPECT_NE(text.find("HTTP 502: Upstream API call failed"), std::string::npos) << text;
  EXPECT_NE(text.find("paymentId 13be2934-c11a"), std::string::npos) << text;
  EXPECT_NE(text.find("not retried"), std::string::npos) << text;
  EXPECT_EQ(http_.requests.size(), 2u);  // never retried, nor a fresh challenge asked for
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "undelivered");
  const UndeliveredOutcome& outcome = ledger_.undelivered.at(0);
  EXPECT_EQ(outcome.status, 502);
  EXPECT_EQ(outcome.error, "Upstream API call failed");
  EXPECT_EQ(outcome.service_payment_id, "13be2934-c11a");
  EXPECT_EQ(outcome.reference, ledger_.entries[0].record.tx_hash);  // self-paid: the signed hash
  EXPECT_FALSE(outcome.reference.empty());
  EXPECT_NE(text.find(outcome.reference), std::string::npos);
}

TEST_F(PayFlowOutcomeTest, AnUpstreamErrorPassedThroughASponsoredPaymentIsUndelivered) {
  for (long status : {401L, 403L, 404L, 500L}) {
    ledger_.entries.clear();
    ledger_.undelivered.clear();
    http_.requests.clear();
    auto result = Pay(
        UsdceCharge("5125", /*fee_payer=*/true),
        Response(
            status, {},
            R"({"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}})"));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedByServer);
    EXPECT_NE(result.error().message.find("HTTP " + std::to_string(status) + ": Country, region"),
              std::string::npos)
        << result.error().message;
    ASSERT_EQ(ledger_.entries.size(), 1u);
    EXPECT_EQ(ledger_.entries[0].outcome, "undelivered") << status;
    EXPECT_EQ(ledger_.undelivered.at(0).status, status);
    EXPECT_TRUE(ledger_.undelivered.at(0).reference.empty());  // sponsored, no receipt: not known
    EXPECT_EQ(http_.requests.size(), 2u);
  }
}

TEST_F(PayFlowOutcomeTest, AnErrorAnswerWithAReceiptRecordsTheReceiptsHash) {
  auto result = Pay(UsdceCharge("5125", true),
                    Response(502, {{"Payment-Receipt", ReceiptHeader()}}, R"({"error":"bad gateway"})"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ledger_.undelivered.at(0).reference, kReceiptHash);
  EXPECT_TRUE(ledger_.undelivered.at(0).note.empty());  // a receipt that passes leaves no note
}

TEST_F(PayFlowOutcomeTest, AnErrorAnswersReceiptNamingAnotherTransactionIsNotTrusted) {
  // Self-paid: the receipt must name the transaction mpp signed; kReceiptHash is another one.
  auto result = Pay(UsdceCharge("6000"),
                    Response(502, {{"Payment-Receipt", ReceiptHeader()}}, R"({"error":"bad gateway"})"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedByServer);  // still undelivered: exit 4
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "undelivered");
  const UndeliveredOutcome& outcome = ledger_.undelivered.at(0);
  const std::string& signed_hash = ledger_.entries[0].record.tx_hash;
  ASSERT_FALSE(signed_hash.empty());
  EXPECT_EQ(outcome.reference, signed_hash);  // the receipt's reference is not taken
  EXPECT_NE(outcome.note.find("receipt not trusted: the server's Payment-Receipt does not match the payment: "
                              "its reference '" +
                              std::string(kReceiptHash) + "' is not the transaction mpp signed (" +
                              signed_hash + ")"),
            std::string::npos)
      << outcome.note;
  EXPECT_EQ(result.error().message.find(kReceiptHash), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("tx " + signed_hash), std::string::npos) << result.error().message;
}

TEST_F(PayFlowOutcomeTest, AnErrorAnswersFailedReceiptIsNotTrustedEvenWhenSponsored) {
  auto result = Pay(UsdceCharge("5125", true), Response(502, {{"Payment-Receipt", ReceiptHeader("failed")}},
                                                        R"({"error":"bad gateway"})"));
  ASSERT_FALSE(result.ok());
  const UndeliveredOutcome& outcome = ledger_.undelivered.at(0);
  EXPECT_TRUE(outcome.reference.empty());  // sponsored: without a trusted receipt the hash is unknown
  EXPECT_NE(outcome.note.find("its status is 'failed', not 'success'"), std::string::npos) << outcome.note;
}

TEST_F(PayFlowOutcomeTest, ARefusalOfThePaymentItselfStaysRefused) {
  auto again = Pay(UsdceCharge("6000"), Response(402, {}, R"({"title":"Payment Required"})"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(ledger_.entries.back().outcome, "refused");
  ledger_.entries.clear();
  auto internal = Pay(
      UsdceCharge("6000"),
      Response(
          500, {},
          R"({"type":"https://paymentauth.org/problems/internal-payment-error","title":"Internal","status":500})"));
  ASSERT_FALSE(internal.ok());
  EXPECT_EQ(internal.error().kind, ErrorKind::kPaymentRefusedByServer);
  EXPECT_EQ(ledger_.entries.back().outcome, "refused");
  EXPECT_TRUE(ledger_.undelivered.empty());
}

TEST_F(PayFlowOutcomeTest, SettledWithAReceiptJournalsItsReference) {
  // Sponsored: the final hash is the co-signing server's, so only the receipt can name it. (For a
  // self-paid charge the receipt must name the signed transaction; see flow_test.cpp.)
  ASSERT_TRUE(
      Pay(UsdceCharge("5125", true), Response(200, {{"Payment-Receipt", ReceiptHeader()}}, "{}")).ok());
  EXPECT_EQ(ledger_.entries[0].outcome, "settled");
  EXPECT_EQ(ledger_.entries[0].detail, kReceiptHash);
  EXPECT_TRUE(ledger_.settled_without_receipt.empty());
}

TEST_F(PayFlowOutcomeTest, SelfPaidWithoutAReceiptJournalsTheSignedTransactionsHash) {
  ASSERT_TRUE(Pay(UsdceCharge("6000"), Response(200, {}, "{}")).ok());
  EXPECT_EQ(ledger_.entries[0].outcome, "settled");
  EXPECT_EQ(ledger_.settled_without_receipt.count(0), 1u);
  EXPECT_FALSE(ledger_.entries[0].detail.empty());
  EXPECT_EQ(ledger_.entries[0].detail, ledger_.entries[0].record.tx_hash);
}

TEST_F(PayFlowOutcomeTest, SponsoredWithoutAReceiptLeavesTheHashUnknown) {
  ASSERT_TRUE(Pay(UsdceCharge("5125", true), Response(200, {}, "{}")).ok());
  EXPECT_EQ(ledger_.settled_without_receipt.count(0), 1u);
  EXPECT_TRUE(ledger_.entries[0].detail.empty());  // the journal writes "unknown", not a hash
}

TEST_F(PayFlowOutcomeTest, ChecksummedUsdceIsTheSameTokenAsLowercase) {
  // Locus sends USDC.e lowercase (groq, grok) and checksummed (other merchants); the tests above pay
  // the lowercase form.
  std::string checksummed = UsdceCharge("6000");
  checksummed.replace(checksummed.find("0x20c000000000000000000000b9537d11c60e8b50"), 42,
                      "0x20C000000000000000000000b9537d11c60E8b50");
  ASSERT_TRUE(Pay(checksummed, Response(200, {}, "{}")).ok());
  EXPECT_EQ(ledger_.entries[0].record.currency.ToChecksumHex(), "0x20C000000000000000000000b9537d11c60E8b50");
}

}  // namespace
}  // namespace mpp::protocol
