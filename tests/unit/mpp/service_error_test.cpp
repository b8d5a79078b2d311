#include "mpp/service_error.h"

#include <gtest/gtest.h>

namespace mpp::protocol {
namespace {

TEST(ReadServiceErrorBody, LocusUpstreamFailureHasTextAndPaymentId) {
  auto said = ReadServiceErrorBody(
      R"({"success":false,"error":"Upstream API call failed","paymentId":"13be2934-c11a-459c-b78a-7571859926e4"})");
  EXPECT_EQ(said.text, "Upstream API call failed");
  EXPECT_EQ(said.payment_id, "13be2934-c11a-459c-b78a-7571859926e4");
  EXPECT_FALSE(said.payment_problem);
}

TEST(ReadServiceErrorBody, AnUpstreamErrorObjectGivesItsMessageAndCode) {
  auto said = ReadServiceErrorBody(
      R"({"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}})");
  EXPECT_EQ(said.text, "Country, region, or territory not supported (unsupported_country_region_territory)");
  EXPECT_TRUE(said.payment_id.empty());
  EXPECT_FALSE(said.payment_problem);
  EXPECT_EQ(ReadServiceErrorBody(R"({"error":{"message":"User not found.","code":401}})").text,
            "User not found.");
  EXPECT_EQ(ReadServiceErrorBody(R"({"error":"Invalid request","message":"model is required"})").text,
            "Invalid request: model is required");
}

TEST(ReadServiceErrorBody, APaymentProblemIsThePaymentMachineryAnswering) {
  auto said = ReadServiceErrorBody(
      R"({"type":"https://paymentauth.org/problems/verification-failed","title":"Verification Failed","status":402,"detail":"Payment verification failed."})");
  EXPECT_TRUE(said.payment_problem);
  EXPECT_NE(said.text.find("Payment verification failed."), std::string::npos) << said.text;
  EXPECT_FALSE(
      ReadServiceErrorBody(R"({"type":"about:blank","title":"Forbidden","status":403})").payment_problem);
}

TEST(ReadServiceErrorBody, OtherBodiesGiveTheirStartOnOneSafeLine) {
  auto said = ReadServiceErrorBody("<html>\r\n\x1b[31mBad gateway</html>");
  EXPECT_EQ(said.text.find('\n'), std::string::npos);
  EXPECT_EQ(said.text.find('\x1b'), std::string::npos);
  EXPECT_NE(said.text.find("Bad gateway"), std::string::npos);
  EXPECT_TRUE(ReadServiceErrorBody("").text.empty());
  EXPECT_EQ(ReadServiceErrorBody(R"({"paymentId":"a\u001b[2Jb"})").payment_id.find('\x1b'),
            std::string::npos);
}

}  // namespace
}  // namespace mpp::protocol
