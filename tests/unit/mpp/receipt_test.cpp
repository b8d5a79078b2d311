#include "mpp/receipt.h"

#include <gtest/gtest.h>

#include "util/base64url.h"

namespace mpp::protocol {
namespace {

TEST(ReceiptParser, ReadsAnMppxReceipt) {
  std::string json = R"({"method":"tempo","status":"success","timestamp":"2025-01-06T12:00:00.123Z",)"
                     R"("reference":"0x2b5c0f1e4f1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d",)"
                     R"("externalId":"order-7"})";
  auto receipt = ParseReceipt(EncodeBase64Url(json));
  ASSERT_TRUE(receipt) << receipt.error().message;
  EXPECT_EQ(receipt->method, "tempo");
  EXPECT_TRUE(receipt->IsSuccess());
  EXPECT_EQ(receipt->timestamp, "2025-01-06T12:00:00.123Z");
  EXPECT_EQ(receipt->timestamp_at, 1736164800);
  EXPECT_EQ(receipt->reference, "0x2b5c0f1e4f1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d");
  EXPECT_EQ(receipt->external_id, "order-7");
}

TEST(ReceiptParser, ToleratesWhitespaceAndPadding) {
  std::string encoded = EncodeBase64Url(std::string_view(R"({"status":"success"})"));
  while (encoded.size() % 4) encoded += '=';
  auto receipt = ParseReceipt("  " + encoded + "\t");
  ASSERT_TRUE(receipt) << receipt.error().message;
  EXPECT_TRUE(receipt->IsSuccess());
}

TEST(ReceiptParser, LeavesMissingOrMistypedFieldsEmpty) {
  auto receipt = ParseReceipt(EncodeBase64Url(std::string_view(
      R"({"method":7,"status":null,"timestamp":"yesterday","reference":["x"],"extra":{"deep":[1]}})")));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->method, "");
  EXPECT_EQ(receipt->status, "");
  EXPECT_FALSE(receipt->IsSuccess());
  EXPECT_EQ(receipt->timestamp, "yesterday");
  EXPECT_FALSE(receipt->timestamp_at);
  EXPECT_EQ(receipt->reference, "");
}

TEST(ReceiptParser, MakesServerTextDisplaySafe) {
  auto receipt = ParseReceipt(EncodeBase64Url(std::string_view(
      "{\"reference\":\"\\u001b]0;owned\\u0007\",\"method\":\"" + std::string(1000, 'm') + "\"}")));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->reference, "?]0;owned?");
  EXPECT_LE(receipt->method.size(), 203u);
}

TEST(ReceiptParser, RefusesGarbage) {
  for (std::string value :
       {std::string(""), std::string("not base64!"), EncodeBase64Url(std::string_view("not json")),
        EncodeBase64Url(std::string_view("[1,2]")), EncodeBase64Url(std::string_view("\"s\"")),
        EncodeBase64Url(std::string_view("{\"a\":1}\0", 8)),
        EncodeBase64Url(std::string_view("{\"a\":\"\xff\"}")), std::string(kMaxReceiptChars + 1, 'A')}) {
    auto receipt = ParseReceipt(value);
    ASSERT_FALSE(receipt) << value;
    EXPECT_EQ(receipt.error().kind, ErrorKind::kNetwork);
    EXPECT_TRUE(receipt.error().message.starts_with("Payment-Receipt header is unreadable: ")) << value;
  }
}

TEST(ReceiptParser, SurvivesDeepNestingAndRefusesIt) {
  // Every JSON body from the network goes through one bounded reader: nesting past kMaxJsonDepth is
  // refused as unreadable (before, this receipt was accepted), never walked.
  std::string deep = "{\"a\":" + std::string(6000, '[') + std::string(6000, ']') + "}";
  auto receipt = ParseReceipt(EncodeBase64Url(deep));
  ASSERT_FALSE(receipt);
  EXPECT_NE(receipt.error().message.find("nested more than"), std::string::npos) << receipt.error().message;
}

Receipt GoodReceipt() {
  Receipt receipt;
  receipt.method = "tempo";
  receipt.status = "success";
  receipt.reference = "0xAbCd" + std::string(60, '0');
  return receipt;
}

TEST(CheckReceipt, AcceptsAReceiptForTheSignedTransactionWhateverTheCaseOfItsHex) {
  const std::string signed_hash = "0xabcd" + std::string(60, '0');
  EXPECT_EQ(CheckReceipt(GoodReceipt(), {"tempo", signed_hash}), std::nullopt);
}

TEST(CheckReceipt, RefusesAnotherReferenceForASelfPaidPayment) {
  auto problem = CheckReceipt(GoodReceipt(), {"tempo", "0x" + std::string(64, '1')});
  ASSERT_TRUE(problem);
  EXPECT_EQ(*problem, "its reference '0xAbCd" + std::string(60, '0') +
                          "' is not the transaction mpp signed (0x" + std::string(64, '1') + ")");
  Receipt empty = GoodReceipt();
  empty.reference.clear();
  EXPECT_EQ(CheckReceipt(empty, {"tempo", "0x" + std::string(64, '1')}).value_or("").substr(0, 18),
            "its reference none");
}

TEST(CheckReceipt, WithoutAnExpectedReferenceAnyReferenceDoes) {
  EXPECT_EQ(CheckReceipt(GoodReceipt(), {"tempo", ""}), std::nullopt);  // a sponsor re-signed, or a proof
}

TEST(CheckReceipt, RefusesAStatusOtherThanSuccessAndAnotherMethod) {
  Receipt failed = GoodReceipt();
  failed.status = "failed";
  EXPECT_EQ(CheckReceipt(failed, {}), "its status is 'failed', not 'success'");
  failed.status.clear();
  EXPECT_EQ(CheckReceipt(failed, {}), "its status is none, not 'success'");
  Receipt stripe = GoodReceipt();
  stripe.method = "stripe";
  EXPECT_EQ(CheckReceipt(stripe, {}), "its method is 'stripe', not 'tempo'");
}

}  // namespace
}  // namespace mpp::protocol
