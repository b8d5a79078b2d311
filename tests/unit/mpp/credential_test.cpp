#include "mpp/credential.h"
#include "mpp/charge_credential.h"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "util/base64url.h"

namespace mpp::protocol {
namespace {

const std::string kSignedTx = "0x76f8" + std::string(60, 'a');
const std::string kHash = "0x" + std::string(64, 'b');
const std::string kProof = "0x" + std::string(130, 'c');
constexpr const char* kSource = "did:pkh:eip155:42431:0x742d35Cc6634c0532925a3b844bC9e7595F8fE00";

Challenge Parse(const std::string& header) {
  auto list = ParseChallenges(header);
  EXPECT_EQ(list.challenges.size(), 1u);
  return list.challenges.at(0);
}

Challenge MinimalChallenge() {
  return Parse(
      R"(Payment id="abc", realm="api.example.com", method="tempo", intent="charge", request="eyJhIjoxfQ")");
}

// Decodes "Payment <b64url>" into `doc`.
void DecodeCredential(const std::string& value, rapidjson::Document& doc) {
  ASSERT_TRUE(value.starts_with("Payment "));
  auto bytes = DecodeBase64Url(value.substr(8));
  ASSERT_TRUE(bytes);
  std::string json(bytes->begin(), bytes->end());
  doc.Parse(json.c_str(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
}

std::string Str(const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

TEST(Credential, EchoesTheRequiredChallengeFieldsAndATransactionPayload) {
  auto value =
      BuildChargeCredential(MinimalChallenge(), {ChargePayload::Type::kTransaction, kSignedTx}, kSource);
  ASSERT_TRUE(value) << value.error().message;
  rapidjson::Document doc;
  DecodeCredential(*value, doc);
  const auto& c = doc["challenge"];
  EXPECT_EQ(c.MemberCount(), 5u);
  EXPECT_EQ(Str(c["id"]), "abc");
  EXPECT_EQ(Str(c["realm"]), "api.example.com");
  EXPECT_EQ(Str(c["method"]), "tempo");
  EXPECT_EQ(Str(c["intent"]), "charge");
  EXPECT_EQ(Str(c["request"]), "eyJhIjoxfQ");
  EXPECT_EQ(Str(doc["payload"]["type"]), "transaction");
  EXPECT_EQ(Str(doc["payload"]["signature"]), kSignedTx);
  EXPECT_EQ(doc["payload"].MemberCount(), 2u);
  EXPECT_EQ(Str(doc["source"]), kSource);
  EXPECT_EQ(doc.MemberCount(), 3u);
}

TEST(Credential, ProducesTheExactJsonShape) {
  auto value = BuildChargeCredential(MinimalChallenge(), {ChargePayload::Type::kHash, kHash}, kSource);
  ASSERT_TRUE(value);
  auto bytes = DecodeBase64Url(value->substr(8));
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()),
            R"({"challenge":{"id":"abc","realm":"api.example.com","method":"tempo","intent":"charge",)"
            R"("request":"eyJhIjoxfQ"},"payload":{"type":"hash","hash":")" +
                kHash + R"("},"source":")" + kSource + R"("})");
  EXPECT_EQ(value->find('='), std::string::npos);
}

TEST(Credential, EchoesOptionalFieldsExactlyAsReceived) {
  // An mppx 0.11 challenge: description with escapes, expires with milliseconds, header, opaque string.
  Challenge challenge = Parse(
      "Payment id=\"mzue8vStPwIkshHHRhKb9CakxkmYFCp2OS6Y1OTQ85A\", realm=\"api.example.com\", "
      "method=\"tempo\", "
      "intent=\"charge\", request=\"eyJhIjoxfQ\", description=\"GPT call \\u2014 \\\"fast\\\" \\\\ "
      "caf\xe9\", "
      "digest=\"sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:\", "
      "expires=\"2025-01-06T12:00:00.000Z\", "
      "header=\"Payment-Authorization\", opaque=\"eyJvcmRlciI6IjQyIn0\", unknown=\"not echoed\"");
  auto value = BuildChargeCredential(challenge, {ChargePayload::Type::kTransaction, kSignedTx}, kSource);
  ASSERT_TRUE(value);
  rapidjson::Document doc;
  DecodeCredential(*value, doc);
  const auto& c = doc["challenge"];
  EXPECT_EQ(c.MemberCount(), 10u);
  EXPECT_EQ(Str(c["description"]), "GPT call \xe2\x80\x94 \"fast\" \\ caf\xc3\xa9");
  EXPECT_EQ(Str(c["digest"]), "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  EXPECT_EQ(Str(c["expires"]), "2025-01-06T12:00:00.000Z");
  EXPECT_EQ(Str(c["header"]), "Payment-Authorization");
  ASSERT_TRUE(c["opaque"].IsString());  // the raw base64url string, not an expanded object
  EXPECT_EQ(Str(c["opaque"]), "eyJvcmRlciI6IjQyIn0");
  EXPECT_FALSE(c.HasMember("unknown"));
}

TEST(Credential, EscapesControlCharactersAndQuotesInJson) {
  Challenge challenge = MinimalChallenge();
  challenge.description = std::string("tab\there \"q\" back\\slash nul\0end", 31);  // the NUL inside kept
  auto value = BuildChargeCredential(challenge, {ChargePayload::Type::kTransaction, kSignedTx}, kSource);
  ASSERT_TRUE(value);
  rapidjson::Document doc;
  DecodeCredential(*value, doc);
  EXPECT_EQ(Str(doc["challenge"]["description"]), *challenge.description);
}

TEST(Credential, WritesHashAndProofPayloads) {
  rapidjson::Document doc;
  auto hash = BuildChargeCredential(MinimalChallenge(), {ChargePayload::Type::kHash, kHash}, kSource);
  ASSERT_TRUE(hash);
  DecodeCredential(*hash, doc);
  EXPECT_EQ(Str(doc["payload"]["type"]), "hash");
  EXPECT_EQ(Str(doc["payload"]["hash"]), kHash);

  auto proof = BuildChargeCredential(MinimalChallenge(), {ChargePayload::Type::kProof, kProof}, kSource);
  ASSERT_TRUE(proof);
  DecodeCredential(*proof, doc);
  EXPECT_EQ(Str(doc["payload"]["type"]), "proof");
  EXPECT_EQ(Str(doc["payload"]["signature"]), kProof);
}

TEST(Credential, AcceptsTheFeePayerEnvelope) {
  EXPECT_TRUE(
      BuildChargeCredential(MinimalChallenge(), {ChargePayload::Type::kTransaction, "0x78f8aa"}, kSource));
}

TEST(Credential, LeavesOutAnEmptySource) {
  auto value = BuildChargeCredential(MinimalChallenge(), {ChargePayload::Type::kHash, kHash}, "");
  ASSERT_TRUE(value);
  rapidjson::Document doc;
  DecodeCredential(*value, doc);
  EXPECT_FALSE(doc.HasMember("source"));
}

TEST(Credential, RefusesPayloadsThatDoNotFitTheirType) {
  using Type = ChargePayload::Type;
  const std::pair<ChargePayload, std::string> cases[] = {
      {{Type::kTransaction, "76f8"}, "payload is not 0x-prefixed hex"},
      {{Type::kTransaction, "0x76f"}, "payload is not 0x-prefixed hex"},
      {{Type::kTransaction, "0x"},
       "transaction payload is not a 0x76 transaction or 0x78 fee-payer envelope"},
      {{Type::kTransaction, "0x02f8"},
       "transaction payload is not a 0x76 transaction or 0x78 fee-payer envelope"},
      {{Type::kHash, "0x1234"}, "hash payload is not 32 bytes"},
      {{Type::kProof, kHash}, "proof payload is not a 65-byte signature"},
  };
  for (const auto& [payload, message] : cases) {
    auto value = BuildChargeCredential(MinimalChallenge(), payload, kSource);
    ASSERT_FALSE(value) << payload.hex;
    EXPECT_EQ(value.error().kind, ErrorKind::kUnexpected);
    EXPECT_EQ(value.error().message, "credential: " + message);
  }
}

TEST(Credential, RefusesAProofWithoutSource) {
  auto value = BuildChargeCredential(MinimalChallenge(), {ChargePayload::Type::kProof, kProof}, "");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message, "credential: a proof credential needs a source");
}

TEST(Credential, RefusesHandBuiltChallengesWithInvalidUtf8) {
  Challenge challenge = MinimalChallenge();
  challenge.realm = "caf\xe9";
  EXPECT_FALSE(BuildChargeCredential(challenge, {ChargePayload::Type::kHash, kHash}, kSource));
}

TEST(Credential, NamesAuthorizationUnlessTheChallengeNamesAnotherHeader) {
  Challenge challenge = MinimalChallenge();
  EXPECT_EQ(CredentialHeaderName(challenge), "Authorization");
  challenge = Parse(R"(Payment id="a", realm="r", method="tempo", intent="charge", request="eyJhIjoxfQ", )"
                    R"(header="Payment-Authorization")");
  EXPECT_EQ(CredentialHeaderName(challenge), "Payment-Authorization");
}

}  // namespace
}  // namespace mpp::protocol
