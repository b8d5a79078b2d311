#include "mpp/session_request.h"

#include <gtest/gtest.h>

#include <vector>

#include "mpp/challenge.h"

#include "tempo/channel.h"
#include "util/base64url.h"

namespace mpp::protocol {
namespace {

// SESSION.md 2: what an unmodified mppx 0.11 server sent (amount 0.001, suggestedDeposit 0.005).
constexpr const char* kCheckedRequest =
    R"({"amount":"1000","currency":"0x20C000000000000000000000b9537d11c60E8b50",)"
    R"("methodDetails":{"chainId":4217,"escrowContract":"0x4d50500000000000000000000000000000000000",)"
    R"("sessionProtocol":"v2"},"recipient":"0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",)"
    R"("suggestedDeposit":"5000","unitType":"token"})";

Result<SessionRequest> DecodeSessionJson(const std::string& json) {
  return DecodeSessionRequest(EncodeBase64Url(json));
}

// kCheckedRequest with `from` replaced by `to` (once).
std::string SessionVariant(const std::string& from, const std::string& to) {
  std::string json = kCheckedRequest;
  auto at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return json.replace(at, from.size(), to);
}

std::string SessionRefusal(const std::string& json) {
  auto r = DecodeSessionJson(json);
  if (r) return "(decoded)";
  EXPECT_EQ(r.error().kind, ErrorKind::kPaymentRefusedLocally);
  return r.error().message;
}

TEST(SessionRequestDecoder, DecodesTheRequestAnMppxServerSent) {
  auto r = DecodeSessionJson(kCheckedRequest);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->amount, U256(1000));
  EXPECT_EQ(r->unit_type, "token");
  EXPECT_EQ(r->currency.ToChecksumHex(), "0x20C000000000000000000000b9537d11c60E8b50");
  EXPECT_EQ(r->recipient.ToChecksumHex(), "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
  EXPECT_EQ(r->suggested_deposit, U256(5000));
  EXPECT_EQ(r->chain_id, 4217u);
  EXPECT_EQ(r->escrow_contract, tempo::kChannelEscrow);
  EXPECT_EQ(r->session_protocol, SessionProtocol::kV2);
  EXPECT_FALSE(r->fee_payer);
  EXPECT_FALSE(r->fee_token);
  EXPECT_FALSE(r->operator_address);
  EXPECT_EQ(r->min_voucher_delta, U256(0));
  EXPECT_FALSE(r->channel_id);
  EXPECT_FALSE(r->has_session_snapshot);
  EXPECT_FALSE(r->description);
  EXPECT_TRUE(CheckSessionOffer(*r, tempo::kChannelEscrow));
}

TEST(SessionRequestDecoder, ReadsEveryOptionalMethodDetail) {
  auto r = DecodeSessionJson(SessionVariant(
      R"("sessionProtocol":"v2")",
      R"("sessionProtocol":"v2","feePayer":true,"feeToken":"0x20c0000000000000000000000000000000000000",)"
      R"("operator":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","minVoucherDelta":"500",)"
      R"("channelId":"0x)" +
          std::string(64, 'A') + R"(","sessionSnapshot":{"spent":"1"})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->fee_payer);
  EXPECT_EQ(r->fee_token->ToLowerHex(), "0x20c0000000000000000000000000000000000000");
  EXPECT_EQ(r->operator_address->ToChecksumHex(), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  EXPECT_EQ(r->min_voucher_delta, U256(500));
  ASSERT_TRUE(r->channel_id);
  EXPECT_EQ((*r->channel_id)[0], 0xaa);
  EXPECT_TRUE(r->has_session_snapshot);
}

TEST(SessionRequestDecoder, AbsentDetailsMeanLegacyOnTheCanonicalEscrow) {
  auto r = DecodeSessionJson(
      R"({"amount":"1","unitType":"request","currency":"0x20c0000000000000000000000000000000000000",)"
      R"("recipient":"0x15d34aaf54267db7d7c367839aaf71a00a2c6a65","description":"per call","suggestedDeposit":null})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->session_protocol, SessionProtocol::kLegacyV1);
  EXPECT_FALSE(r->chain_id);
  EXPECT_FALSE(r->escrow_contract);
  EXPECT_EQ(r->Escrow(), tempo::kChannelEscrow);
  EXPECT_FALSE(r->suggested_deposit);
  EXPECT_EQ(r->description, "per call");
  auto checked = CheckSessionOffer(*r, tempo::kChannelEscrow);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("legacy v1"), std::string::npos);
}

TEST(SessionRequestDecoder, CheckRefusesAnotherEscrowUnlessTrusted) {
  const std::string other = "0xe1c4d3dce17bc111181ddf716f75bae49e61a336";
  auto r = DecodeSessionJson(SessionVariant("0x4d50500000000000000000000000000000000000", other));
  ASSERT_TRUE(r) << r.error().message;
  auto refused = CheckSessionOffer(*r, tempo::kChannelEscrow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(refused.error().message.find("not the trusted escrow"), std::string::npos);
  EXPECT_TRUE(CheckSessionOffer(*r, *crypto::Address::Parse(other)));
  r = DecodeSessionJson(SessionVariant(R"("v2")", R"("v1")"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->session_protocol, SessionProtocol::kLegacyV1);
}

TEST(SessionRequestDecoder, AmountsAreUint96DecimalStrings) {
  EXPECT_TRUE(
      DecodeSessionJson(SessionVariant(R"("amount":"1000")", R"("amount":"79228162514264337593543950335")")));
  EXPECT_NE(
      SessionRefusal(SessionVariant(R"("amount":"1000")", R"("amount":"79228162514264337593543950336")"))
          .find("uint96"),
      std::string::npos);
  EXPECT_NE(SessionRefusal(SessionVariant(R"("amount":"1000")", R"("amount":"0")")).find("greater than zero"),
            std::string::npos);
  for (const char* bad : {R"("amount":1000)", R"("amount":"1e3")", R"("amount":"-1")", R"("amount":"01000")",
                          R"("amount":" 1000")", R"("amount":"0.001")"}) {
    SCOPED_TRACE(bad);
    EXPECT_NE(SessionRefusal(SessionVariant(R"("amount":"1000")", bad)).find("amount"), std::string::npos);
  }
  EXPECT_NE(SessionRefusal(SessionVariant(R"("suggestedDeposit":"5000")", R"("suggestedDeposit":5000)"))
                .find("suggestedDeposit"),
            std::string::npos);
  EXPECT_NE(SessionRefusal(
                SessionVariant(R"("sessionProtocol":"v2")",
                               R"("sessionProtocol":"v2","minVoucherDelta":"99999999999999999999999999999")"))
                .find("minVoucherDelta"),
            std::string::npos);
}

TEST(SessionRequestDecoder, RefusesMalformedFields) {
  struct Case {
    std::string from, to, expect;
  };
  for (const Case& c : std::vector<Case>{
           {R"("unitType":"token")", R"("unitType":"")", "unitType"},
           {R"("unitType":"token")", R"("unitType":7)", "unitType"},
           {R"("unitType":"token")", R"("unitType":")" + std::string(65, 'x') + "\"", "unitType"},
           {R"(,"unitType":"token")", "", "unitType is missing"},
           {R"("recipient":"0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",)", "", "recipient is missing"},
           {"0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x15D34AAf54267DB7D7c367839AAf71A00a2C6A65",
            "recipient"},
           {"0x20C000000000000000000000b9537d11c60E8b50", "0x20C0", "currency"},
           {R"("chainId":4217)", R"("chainId":0)", "chainId"},
           {R"("chainId":4217)", R"("chainId":"4217")", "chainId"},
           {R"("chainId":4217)", R"("chainId":-1)", "chainId"},
           {R"("sessionProtocol":"v2")", R"("sessionProtocol":"v3")", "sessionProtocol"},
           {R"("sessionProtocol":"v2")", R"("sessionProtocol":2)", "sessionProtocol"},
           {R"("sessionProtocol":"v2")", R"("sessionProtocol":"v2","feePayer":"true")", "feePayer"},
           {R"("sessionProtocol":"v2")", R"("sessionProtocol":"v2","channelId":"0x12")", "channelId"},
           {R"("sessionProtocol":"v2")", R"("sessionProtocol":"v2","operator":"nobody")", "operator"},
           {R"("sessionProtocol":"v2")", R"("sessionProtocol":"v2","feeToken":1)", "feeToken"},
           {"0x4d50500000000000000000000000000000000000", "MPP", "escrowContract"},
           {R"("methodDetails":{)", R"("methodDetails":[],"x":{)", "methodDetails must be an object"},
           {R"("chainId":4217,)", R"("chainId":4217,"chainId":42431,)", "twice"},
           {R"("amount":"1000",)", R"("amount":"1000","amount":"1",)", "twice"},
           {R"("unitType":"token")", R"("unitType":"token","description":5)", "description"},
       }) {
    SCOPED_TRACE(c.to);
    std::string message = SessionRefusal(SessionVariant(c.from, c.to));
    EXPECT_NE(message.find(c.expect), std::string::npos) << message;
  }
}

TEST(SessionRequestDecoder, RefusesWhatIsNotAnObjectOrTooLarge) {
  EXPECT_NE(SessionRefusal("[]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(SessionRefusal("{").find("not JSON"), std::string::npos);
  auto padded = DecodeSessionRequest(EncodeBase64Url(std::string(kCheckedRequest)) + "=");
  EXPECT_FALSE(padded);
  auto huge = DecodeSessionRequest(std::string(kMaxRequestChars + 1, 'A'));
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace mpp::protocol
