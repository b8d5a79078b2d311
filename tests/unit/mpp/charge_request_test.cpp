#include "mpp/charge_request.h"

#include <gtest/gtest.h>

#include "mpp/challenge.h"
#include "util/base64url.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

constexpr const char* kToken = "0x20c0000000000000000000000000000000000000";
constexpr const char* kPayee = "0x742d35cc6634c0532925a3b844bc9e7595f8fe00";
constexpr const char* kPayeeChecksummed = "0x742d35Cc6634c0532925a3b844bC9e7595F8fE00";
constexpr const char* kSplitPayee = "0xA1B2C3d4e5F6a1B2c3d4e5F6a1b2c3d4e5F6a1b2";
constexpr const char* kMemo = "0x00000000000000000000000000000000000000000000000000000000deadbeef";

Result<ChargeRequest> Decode(const std::string& json) { return DecodeChargeRequest(EncodeBase64Url(json)); }

// A request with `details` as its methodDetails (omitted when empty).
std::string WithDetails(const std::string& details, const std::string& amount = "\"1000000\"") {
  std::string json = std::string(R"({"amount":)") + amount + R"(,"currency":")" + kToken +
                     R"(","recipient":")" + kPayee + "\"";
  if (!details.empty()) json += R"(,"methodDetails":)" + details;
  return json + "}";
}

std::string ErrorOf(const std::string& json) {
  auto r = Decode(json);
  if (r) return "(decoded)";
  EXPECT_EQ(r.error().kind, ErrorKind::kPaymentRefusedLocally);
  return r.error().message;
}

crypto::Address AddressOf(const char* text) { return *crypto::Address::Parse(text); }

TEST(ChargeRequestDecoder, DecodesAMinimalRequestWithDefaults) {
  auto r = Decode(WithDetails(""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->amount, U256(1000000));
  EXPECT_EQ(r->currency, AddressOf(kToken));
  EXPECT_EQ(r->recipient, AddressOf(kPayee));
  EXPECT_EQ(r->chain_id, kDefaultChargeChainId);
  EXPECT_EQ(r->chain_id, 42431u);
  EXPECT_FALSE(r->fee_payer);
  EXPECT_FALSE(r->memo);
  EXPECT_TRUE(r->splits.empty());
  EXPECT_TRUE(r->supported_modes.empty());
  EXPECT_TRUE(r->SupportsMode(ChargeMode::kPull));
  EXPECT_TRUE(r->SupportsMode(ChargeMode::kPush));
  EXPECT_FALSE(r->description);
  EXPECT_FALSE(r->external_id);
  EXPECT_EQ(r->PrimaryAmount(), U256(1000000));
}

TEST(ChargeRequestDecoder, DecodesTheRequestOfAnMppxChallenge) {
  // The `request` mppx 0.11 put in the challenge of challenge_test.cpp (amount "0.005" with 6 decimals).
  auto r = DecodeChargeRequest(
      "eyJhbW91bnQiOiI1MDAwIiwiY3VycmVuY3kiOiIweDIwYzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAiLCJtZX"
      "Rob2RE"
      "ZXRhaWxzIjp7ImNoYWluSWQiOjQyNDMxLCJzdXBwb3J0ZWRNb2RlcyI6WyJwdWxsIl19LCJyZWNpcGllbnQiOiIweDc0MmQzNWNjNj"
      "YzNG"
      "MwNTMyOTI1YTNiODQ0YmM5ZTc1OTVmOGZlMDAifQ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->amount, U256(5000));
  EXPECT_EQ(r->chain_id, 42431u);
  EXPECT_TRUE(r->SupportsMode(ChargeMode::kPull));
  EXPECT_FALSE(r->SupportsMode(ChargeMode::kPush));
}

TEST(ChargeRequestDecoder, DecodesAnMppxFeePayerRequestWithASplit) {
  auto r = DecodeChargeRequest(
      "eyJhbW91bnQiOiIxMDAwMDAwIiwiY3VycmVuY3kiOiIweDIwYzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDEiLC"
      "JtZXRo"
      "b2REZXRhaWxzIjp7ImZlZVBheWVyIjp0cnVlLCJzcGxpdHMiOlt7ImFtb3VudCI6IjEwMDAwMCIsIm1lbW8iOiIweDAwMDAwMDAwMD"
      "AwMDAw"
      "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwZGVhZGJlZWYiLCJyZWNpcGllbnQiOiIweGExYjJjM2Q0ZT"
      "VmNmEx"
      "YjJjM2Q0ZTVmNmExYjJjM2Q0ZTVmNmExYjIifV19LCJyZWNpcGllbnQiOiIweDc0MmQzNWNjNjYzNGMwNTMyOTI1YTNiODQ0YmM5ZT"
      "c1OTVm"
      "OGZlMDAifQ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->fee_payer);
  ASSERT_EQ(r->splits.size(), 1u);
  EXPECT_EQ(r->splits[0].amount, U256(100000));
  EXPECT_EQ(r->splits[0].recipient, AddressOf(kSplitPayee));
  ASSERT_TRUE(r->splits[0].memo);
  EXPECT_EQ(ToHex(*r->splits[0].memo), kMemo);
  EXPECT_EQ(r->PrimaryAmount(), U256(900000));
}

TEST(ChargeRequestDecoder, DecodesEveryField) {
  std::string json =
      std::string(R"({"amount":"5000","currency":")") + kToken + R"(","recipient":")" + kPayeeChecksummed +
      R"(","description":"Chat \u2014 call","externalId":"order-7",)" +
      R"("decimals":6,"future":{"x":[1,2]},"methodDetails":{"chainId":4217,"feePayer":false,)" +
      R"("memo":")" + kMemo + R"(","splits":[{"amount":"100","recipient":")" + kSplitPayee +
      R"("},{"amount":"200","recipient":")" + kPayee + R"(","memo":")" + kMemo +
      R"("}],"supportedModes":["push","pull","push"],"unknown":true}})";
  auto r = Decode(json);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipient, AddressOf(kPayee));
  EXPECT_EQ(r->description, "Chat \xe2\x80\x94 call");
  EXPECT_EQ(r->external_id, "order-7");
  EXPECT_EQ(r->chain_id, 4217u);
  EXPECT_FALSE(r->fee_payer);
  ASSERT_TRUE(r->memo);
  EXPECT_EQ(ToHex(*r->memo), kMemo);
  ASSERT_EQ(r->splits.size(), 2u);
  EXPECT_FALSE(r->splits[0].memo);
  EXPECT_TRUE(r->splits[1].memo);
  EXPECT_EQ(r->supported_modes, (std::vector<ChargeMode>{ChargeMode::kPush, ChargeMode::kPull}));
  EXPECT_EQ(r->PrimaryAmount(), U256(4700));
}

TEST(ChargeRequestDecoder, AcceptsAZeroAmountForProofs) {
  auto r = Decode(WithDetails("", "\"0\""));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->amount.IsZero());
}

TEST(ChargeRequestDecoder, AcceptsTheLargestAmount) {
  std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  auto r = Decode(WithDetails("", "\"" + max + "\""));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->amount, U256::Max());
  std::string over_max = max;
  over_max.back() = '6';
  EXPECT_NE(ErrorOf(WithDetails("", "\"" + over_max + "\"")), "(decoded)");
}

TEST(ChargeRequestDecoder, RefusesAmountsThatAreNotPlainDecimalStrings) {
  for (const char* amount : {"1000", "1e6", "\"1e6\"", "\"-1\"", "\"+1\"", "\"01\"", "\"1.5\"", "\" 1\"",
                             "\"\"", "\"0x10\"", "null", "true", "[\"1\"]", "\"1\\u0000\""}) {
    std::string error = ErrorOf(WithDetails("", amount));
    EXPECT_TRUE(error.starts_with("challenge request: amount ")) << amount << ": " << error;
  }
}

TEST(ChargeRequestDecoder, RefusesBadAddressesNamingTheField) {
  std::string base = std::string(R"({"amount":"1","currency":")") + kToken + R"(","recipient":)";
  EXPECT_EQ(ErrorOf(base + R"("0x1234"})"),
            "challenge request: recipient is not a 0x address with a valid checksum");
  EXPECT_EQ(ErrorOf(base + "7}"), "challenge request: recipient must be a string");
  // The spec's own example address carries a broken EIP-55 checksum.
  EXPECT_EQ(ErrorOf(base + R"("0x742d35Cc6634C0532925a3b844Bc9e7595f8fE00"})"),
            "challenge request: recipient is not a 0x address with a valid checksum");
  EXPECT_EQ(ErrorOf(std::string(R"({"amount":"1","recipient":")") + kPayee + "\"}"),
            "challenge request: currency is missing");
  EXPECT_EQ(ErrorOf(std::string(R"({"amount":"1","currency":")") + kToken + "\"}"),
            "challenge request: recipient is missing");
  EXPECT_EQ(ErrorOf(std::string(R"({"currency":")") + kToken + R"(","recipient":")" + kPayee + "\"}"),
            "challenge request: amount is missing");
}

TEST(ChargeRequestDecoder, RefusesMistypedOptionalStrings) {
  EXPECT_EQ(ErrorOf(WithDetails("").insert(1, R"("description":5,)")),
            "challenge request: description must be a string");
  EXPECT_EQ(ErrorOf(WithDetails("").insert(1, R"("externalId":{},)")),
            "challenge request: externalId must be a string");
  EXPECT_TRUE(Decode(WithDetails("").insert(1, R"("description":null,)")));
}

TEST(ChargeRequestDecoder, RefusesBadChainIds) {
  for (const char* chain : {"0", "-1", "4217.5", "\"4217\"", "1e3", "18446744073709551616", "true"}) {
    EXPECT_EQ(ErrorOf(WithDetails(std::string(R"({"chainId":)") + chain + "}")),
              "challenge request: methodDetails.chainId must be a positive integer")
        << chain;
  }
  auto r = Decode(WithDetails(R"({"chainId":18446744073709551615})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->chain_id, 18446744073709551615u);
}

TEST(ChargeRequestDecoder, ReadsFeePayerOnlyAsABoolean) {
  auto yes = Decode(WithDetails(R"({"feePayer":true})"));
  ASSERT_TRUE(yes);
  EXPECT_TRUE(yes->fee_payer);
  EXPECT_TRUE(Decode(WithDetails(R"({"feePayer":null})")));
  for (const char* value : {"\"https://sponsor.example\"", "\"true\"", "1", "{}"}) {
    EXPECT_EQ(ErrorOf(WithDetails(std::string(R"({"feePayer":)") + value + "}")),
              "challenge request: methodDetails.feePayer must be true or false")
        << value;
  }
}

TEST(ChargeRequestDecoder, ReadsMemosAsThirtyTwoBytesOfHex) {
  auto bare =
      Decode(WithDetails(R"({"memo":"00000000000000000000000000000000000000000000000000000000deadbeef"})"));
  ASSERT_TRUE(bare);
  EXPECT_EQ(ToHex(*bare->memo), kMemo);
  auto empty = Decode(WithDetails(R"({"memo":""})"));
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->memo);
  for (const char* memo : {"\"0xdeadbeef\"", "\"0x\"", "12",
                           "\"0xzz000000000000000000000000000000000000000000000000000000deadbeef\""}) {
    EXPECT_EQ(ErrorOf(WithDetails(std::string(R"({"memo":)") + memo + "}")),
              memo == std::string("12") ? "challenge request: methodDetails.memo must be a string"
                                        : "challenge request: methodDetails.memo must be 32 bytes of hex")
        << memo;
  }
}

TEST(ChargeRequestDecoder, RefusesMalformedSplits) {
  auto split = [](const std::string& amount) {
    return std::string(R"({"amount":)") + amount + R"(,"recipient":")" + kSplitPayee + "\"}";
  };
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[]})")),
            "challenge request: methodDetails.splits must not be empty");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":{}})")),
            "challenge request: methodDetails.splits must be an array");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[7]})")),
            "challenge request: methodDetails.splits[0] must be an object");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[)" + split("\"1\"") + "," + split("\"0\"") + "]}")),
            "challenge request: methodDetails.splits[1].amount must be greater than zero");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[)" + split("5") + "]}")),
            "challenge request: methodDetails.splits[0].amount must be a string of decimal digits");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[{"amount":"1"}]})")),
            "challenge request: methodDetails.splits[0].recipient is missing");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[{"amount":"1","recipient":"0x1","amount":"2"}]})")),
            "challenge request: methodDetails.splits[0] has the key \"amount\" twice");
}

TEST(ChargeRequestDecoder, RequiresSplitsToSumStrictlyBelowTheAmount) {
  auto split = [](const char* amount) {
    return std::string(R"({"amount":")") + amount + R"(","recipient":")" + kSplitPayee + "\"}";
  };
  auto below = Decode(WithDetails(R"({"splits":[)" + split("600") + "," + split("399") + "]}", "\"1000\""));
  ASSERT_TRUE(below);
  EXPECT_EQ(below->PrimaryAmount(), U256(1));
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[)" + split("600") + "," + split("400") + "]}", "\"1000\"")),
            "challenge request: methodDetails.splits add up to amount or more");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[)" + split("1") + "]}", "\"0\"")),
            "challenge request: methodDetails.splits add up to amount or more");
  std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[)" + split(max.c_str()) + "," + split(max.c_str()) + "]}",
                                "\"" + max + "\"")),
            "challenge request: methodDetails.splits add up to more than 2^256");
}

TEST(ChargeRequestDecoder, RefusesMoreThanTenSplits) {
  std::string splits;
  for (int i = 0; i < 11; ++i) {
    splits += std::string(i ? "," : "") + R"({"amount":"1","recipient":")" + kSplitPayee + "\"}";
  }
  EXPECT_EQ(ErrorOf(WithDetails(R"({"splits":[)" + splits + "]}")),
            "challenge request: methodDetails.splits has more than 10 entries");
}

TEST(ChargeRequestDecoder, ReadsSupportedModesIgnoringUnknownOnes) {
  auto push = Decode(WithDetails(R"({"supportedModes":["push","teleport"]})"));
  ASSERT_TRUE(push);
  EXPECT_FALSE(push->SupportsMode(ChargeMode::kPull));
  EXPECT_TRUE(push->SupportsMode(ChargeMode::kPush));
  EXPECT_EQ(ErrorOf(WithDetails(R"({"supportedModes":[]})")),
            "challenge request: methodDetails.supportedModes must not be empty");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"supportedModes":["teleport"]})")),
            "challenge request: methodDetails.supportedModes names no known mode");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"supportedModes":"pull"})")),
            "challenge request: methodDetails.supportedModes must be an array");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"supportedModes":["pull",1]})")),
            "challenge request: methodDetails.supportedModes must hold strings");
}

TEST(ChargeRequestDecoder, RefusesDuplicateKeysAnywhere) {
  EXPECT_EQ(ErrorOf(WithDetails("").insert(1, R"("amount":"1",)")),
            "challenge request: has the key \"amount\" twice");
  EXPECT_EQ(ErrorOf(WithDetails(R"({"chainId":1,"chainId":2})")),
            "challenge request: methodDetails has the key \"chainId\" twice");
}

TEST(ChargeRequestDecoder, RefusesMethodDetailsThatAreNotAnObject) {
  EXPECT_EQ(ErrorOf(WithDetails("[]")), "challenge request: methodDetails must be an object");
  EXPECT_TRUE(Decode(WithDetails("null")));
}

TEST(ChargeRequestDecoder, RefusesInputThatIsNotBase64UrlJsonObject) {
  EXPECT_EQ(DecodeChargeRequest("eyJhIjoxfQ==").error().message, "challenge request: not unpadded base64url");
  EXPECT_EQ(DecodeChargeRequest("").error().message,
            "challenge request: not JSON (The document is empty. at offset 0)");
  EXPECT_EQ(ErrorOf("[1,2]"), "challenge request: not a JSON object");
  EXPECT_EQ(ErrorOf("\"str\""), "challenge request: not a JSON object");
  EXPECT_TRUE(ErrorOf("{\"amount\":\"1\"} x").starts_with("challenge request: not JSON ("));
  EXPECT_TRUE(ErrorOf("{\"amount\":\"1\"").starts_with("challenge request: not JSON ("));
  EXPECT_EQ(ErrorOf(std::string("{}\0{}", 5)), "challenge request: not JSON (contains a NUL byte)");
  EXPECT_TRUE(ErrorOf("{\"description\":\"\xff\"}").starts_with("challenge request: not JSON ("));
  EXPECT_EQ(DecodeChargeRequest(std::string(kMaxRequestChars + 1, 'A')).error().message,
            "challenge request: larger than 16384 characters");
}

TEST(ChargeRequestDecoder, SurvivesDeepNestingWithoutRecursion) {
  // Refused by the bounded reader before anything walks it (before, it parsed and lacked an amount).
  std::string deep = "{\"x\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_EQ(ErrorOf(deep), "challenge request: not JSON (nested more than 128 levels deep)");
}

}  // namespace
}  // namespace mpp::protocol
