#include "mpp/session_credential.h"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "../tempo/session_vectors.h"
#include "mpp/challenge.h"
#include "tempo/proof.h"
#include "util/base64url.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

using namespace mpp::testing;

Challenge SessionChallenge() {
  auto list = ParseChallenges(
      R"(Payment id="ch1", realm="127.0.0.1", method="tempo", intent="session", request="eyJhIjoxfQ", )"
      R"(expires="2026-12-02T14:06:07.061Z")");
  EXPECT_EQ(list.challenges.size(), 1u);
  return list.challenges.at(0);
}

tempo::EscrowTxSettings OpenVectorSettings(bool sponsored) {
  const auto& t = SessionVectors()["open"]["tx"];
  tempo::EscrowTxSettings s;
  s.chain_id = 4217;
  s.gas_limit = t["gasLimit"].GetUint64();
  s.max_fee_per_gas = SAmount(t["maxFeePerGas"]);
  s.max_priority_fee_per_gas = SAmount(t["maxPriorityFeePerGas"]);
  s.valid_before = t["validBefore"].GetUint64();
  s.valid_after = t["validAfter"].GetUint64();
  s.sponsored = sponsored;
  return s;
}

tempo::SignedOpen VectorOpen(bool sponsored) {
  const auto& inputs = SessionVectors()["inputs"];
  tempo::OpenTerms terms{tempo::kChannelEscrow,
                         SAddress(inputs["payee"]),
                         SAddress(inputs["operator"]),
                         SAddress(inputs["token"]),
                         U256(5000),
                         SHash(inputs["salt"])};
  return tempo::SignOpenTransaction(terms, OpenVectorSettings(sponsored), SessionPayerKey()).value();
}

std::string DescriptorJson(const rapidjson::Value& d) {
  return R"({"payer":")" + SText(d["payer"]) + R"(","payee":")" + SText(d["payee"]) + R"(","operator":")" +
         SText(d["operator"]) + R"(","token":")" + SText(d["token"]) + R"(","salt":")" + SText(d["salt"]) +
         R"(","authorizedSigner":")" + SText(d["authorizedSigner"]) + R"(","expiringNonceHash":")" +
         SText(d["expiringNonceHash"]) + R"("})";
}

// Decodes "Payment <b64url>" into `doc`.
void DecodeSessionCredential(const std::string& value, rapidjson::Document& doc) {
  ASSERT_TRUE(value.starts_with("Payment "));
  auto bytes = DecodeBase64Url(value.substr(8));
  ASSERT_TRUE(bytes);
  std::string json(bytes->begin(), bytes->end());
  doc.Parse(json.c_str(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
}

TEST(SessionCredential, OpenPayloadIsTheVectorOpenAndItsFirstVoucher) {
  const auto& v = SessionVectors()["open"]["selfPaid"];
  tempo::SignedOpen open = VectorOpen(false);
  tempo::VoucherSignature voucher =
      tempo::SignVoucher(SessionPayerKey(), 4217, tempo::kChannelEscrow, open.channel_id, U256(1000));
  std::string json = SessionPayloadJson(OpenPayload(open, U256(1000), voucher));
  EXPECT_EQ(json, R"({"action":"open","type":"transaction","channelId":")" + SText(v["channelId"]) +
                      R"(","transaction":")" + SText(v["signedRaw"]) + R"(","signature":")" +
                      SText(v["initialVoucher"]["signature"]) + R"(","descriptor":)" +
                      DescriptorJson(v["descriptor"]) + R"(,"cumulativeAmount":"1000","authorizedSigner":")" +
                      SText(v["descriptor"]["payer"]) + R"("})");
}

TEST(SessionCredential, SponsoredOpenCarriesThe0x78HandOff) {
  const auto& v = SessionVectors()["open"]["sponsored"];
  tempo::SignedOpen open = VectorOpen(true);
  tempo::VoucherSignature voucher =
      tempo::SignVoucher(SessionPayerKey(), 4217, tempo::kChannelEscrow, open.channel_id, U256(1000));
  rapidjson::Document doc;
  doc.Parse(SessionPayloadJson(OpenPayload(open, U256(1000), voucher)).c_str());
  EXPECT_EQ(SText(doc["transaction"]), SText(v["credentialEnvelope0x78"]));
  EXPECT_EQ(SText(doc["channelId"]), SText(v["channelId"]));
  EXPECT_EQ(SText(doc["signature"]), SText(v["initialVoucher"]["signature"]));
}

TEST(SessionCredential, VoucherAndClosePayloads) {
  const auto& chain = SessionVectors()["vouchers"]["byChain"][0];
  const auto& descriptor = SessionVectors()["vouchers"]["descriptor"];
  const auto& row = chain["rows"][2];
  tempo::VoucherSignature signature{};
  Bytes sig = SBytes(row["signature"]);
  std::copy(sig.begin(), sig.end(), signature.begin());
  const std::string tail = R"(,"descriptor":)" + DescriptorJson(descriptor) + R"(,"cumulativeAmount":")" +
                           SText(row["cumulativeAmount"]) + R"(","signature":")" + SText(row["signature"]) +
                           R"("})";
  EXPECT_EQ(SessionPayloadJson(VoucherPayload(SDescriptor(descriptor), SHash(chain["channelId"]),
                                              SAmount(row["cumulativeAmount"]), signature)),
            R"({"action":"voucher","channelId":")" + SText(chain["channelId"]) + "\"" + tail);
  EXPECT_EQ(SessionPayloadJson(ClosePayload(SDescriptor(descriptor), SHash(chain["channelId"]),
                                            SAmount(row["cumulativeAmount"]), signature)),
            R"({"action":"close","channelId":")" + SText(chain["channelId"]) + "\"" + tail);
}

TEST(SessionCredential, TopUpPayloadNamesTheAdditionalDeposit) {
  tempo::SignedOpen open = VectorOpen(false);
  auto top_up = tempo::SignTopUpTransaction(open.descriptor, U256(5000), tempo::kChannelEscrow,
                                            OpenVectorSettings(false), SessionPayerKey());
  ASSERT_TRUE(top_up);
  std::string json = SessionPayloadJson(TopUpPayload(open.descriptor, open.channel_id, *top_up, U256(5000)));
  EXPECT_EQ(json, R"({"action":"topUp","type":"transaction","channelId":")" + ToHex(open.channel_id) +
                      R"(","transaction":")" + ToHex(top_up->credential_bytes) + R"(","descriptor":)" +
                      DescriptorJson(SessionVectors()["open"]["selfPaid"]["descriptor"]) +
                      R"(,"additionalDeposit":"5000"})");
}

TEST(SessionCredential, EnvelopeEchoesTheChallengeAndTheSource) {
  tempo::SignedOpen open = VectorOpen(false);
  tempo::VoucherSignature voucher{};
  voucher[64] = 27;
  SessionPayload payload = VoucherPayload(open.descriptor, open.channel_id, U256(2000), voucher);
  const std::string source = tempo::DidPkh(4217, open.descriptor.payer);
  auto value = BuildSessionCredential(SessionChallenge(), payload, source);
  ASSERT_TRUE(value) << value.error().message;
  rapidjson::Document doc;
  DecodeSessionCredential(*value, doc);
  EXPECT_EQ(SText(doc["challenge"]["id"]), "ch1");
  EXPECT_EQ(SText(doc["challenge"]["intent"]), "session");
  EXPECT_EQ(SText(doc["challenge"]["expires"]), "2026-12-02T14:06:07.061Z");
  EXPECT_EQ(SText(doc["payload"]["action"]), "voucher");
  EXPECT_EQ(SText(doc["payload"]["cumulativeAmount"]), "2000");
  EXPECT_EQ(SText(doc["payload"]["descriptor"]["payer"]), "0x346a1e1E9456f9B42a2B7b712Ebe4bE1Ec923a6D");
  EXPECT_EQ(SText(doc["source"]), "did:pkh:eip155:4217:0x346a1e1E9456f9B42a2B7b712Ebe4bE1Ec923a6D");
}

TEST(SessionCredential, RefusesWhatTheServerWouldReject) {
  tempo::SignedOpen open = VectorOpen(false);
  tempo::VoucherSignature voucher{};
  const std::string source = tempo::DidPkh(4217, open.descriptor.payer);
  auto refused = [&](const SessionPayload& p, std::string_view src) {
    auto r = BuildSessionCredential(SessionChallenge(), p, src);
    return !r && r.error().kind == ErrorKind::kUnexpected;
  };
  SessionPayload voucher_payload = VoucherPayload(open.descriptor, open.channel_id, U256(1), voucher);
  EXPECT_TRUE(refused(voucher_payload, ""));
  EXPECT_FALSE(refused(voucher_payload, source));
  voucher_payload.cumulative_amount = *U256::CheckedAdd(tempo::Uint96Max(), 1);
  EXPECT_TRUE(refused(voucher_payload, source));

  SessionPayload open_payload = OpenPayload(open, U256(1000), voucher);
  EXPECT_FALSE(refused(open_payload, source));
  open_payload.transaction = {0x02, 0x01};
  EXPECT_TRUE(refused(open_payload, source));
  open_payload.transaction.clear();
  EXPECT_TRUE(refused(open_payload, source));

  tempo::SignedEscrowTransaction top_up;
  top_up.credential_bytes = open.transaction.credential_bytes;
  EXPECT_TRUE(refused(TopUpPayload(open.descriptor, open.channel_id, top_up, U256(0)), source));
  EXPECT_FALSE(refused(TopUpPayload(open.descriptor, open.channel_id, top_up, U256(1)), source));
}

}  // namespace
}  // namespace mpp::protocol
