#include "cli/call_report.h"

#include <gtest/gtest.h>

#include "tempo/chains.h"

namespace mpp::cli {
namespace {

CallReport Answered() {
  CallReport report;
  report.output = "Hi \"there\"\n";
  report.model = "gpt-4o-mini-2024-07-18";
  report.usage = llm::Usage{3, 2, 5};
  report.service = "openai";
  report.url = "https://openai.mpp.tempo.xyz/v1/chat/completions";
  report.conversation = "20261204-010000-0a1b2c3d";
  report.total_ms = 123.456;
  report.first_output_ms = 80.04;
  return report;
}

protocol::PaymentSummary Charge() {
  protocol::PaymentSummary payment;
  payment.mode = "pull";
  payment.amount = *U256::FromDecimal("1000");
  payment.currency = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");
  payment.chain_id = tempo::kTestnetChainId;
  payment.tx_hash = "0xab";
  payment.fee = *U256::FromDecimal("250");
  return payment;
}

TEST(CallReport, AFreeAnswerHasNoPaymentFields) {
  EXPECT_EQ(
      FormatCallReport(Answered()),
      "{\"output\":\"Hi "
      "\\\"there\\\"\\n\",\"model\":\"gpt-4o-mini-2024-07-18\",\"usage\":{\"prompt_tokens\":3,"
      "\"completion_tokens\":2,\"total_tokens\":5},\"service\":\"openai\",\"url\":"
      "\"https://openai.mpp.tempo.xyz/v1/chat/completions\",\"conversation\":\"20261204-010000-0a1b2c3d\","
      "\"timings\":{\"total_ms\":123.5,\"first_output_ms\":80.0}}\n");
}

TEST(CallReport, AChargeSaysWhatItCostAndWhichFeeIsOnlyABound) {
  CallReport report = Answered();
  report.payment = Charge();
  std::string line = FormatCallReport(report);
  EXPECT_NE(
      line.find(
          ",\"intent\":\"charge\",\"paid\":\"0.001\",\"fee_max\":\"0.00025\",\"token\":"
          "\"0x20C0000000000000000000000000000000000000\",\"token_symbol\":\"pathUSD\",\"tx\":\"0xab\"}"),
      std::string::npos)
      << line;
  report.payment->fee_paid = *U256::FromDecimal("120");
  line = FormatCallReport(report);
  EXPECT_NE(line.find("\"fee\":\"0.00012\""), std::string::npos) << line;
  EXPECT_EQ(line.find("fee_max"), std::string::npos) << line;
}

TEST(CallReport, AVoucherNamesItsChannelAndCostsNoFee) {
  CallReport report = Answered();
  protocol::PaymentSummary payment = Charge();
  payment.tx_hash.clear();
  payment.fee = U256();
  payment.channel = protocol::ChannelPart{};
  payment.channel->channel_id.fill(0x11);
  report.payment = payment;
  std::string line = FormatCallReport(report);
  EXPECT_NE(line.find("\"intent\":\"session\",\"paid\":\"0.001\",\"fee\":\"0\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"channel\":\"0x" + std::string(64, '1') + "\"}"), std::string::npos) << line;
  EXPECT_EQ(line.find("\"tx\""), std::string::npos) << line;
}

TEST(CallReport, AFailureCarriesItsExitCodeAndWhatWasKnown) {
  CallReport report;
  report.index = 4;
  report.service = "groq";
  report.url = "http://127.0.0.1:9/groq/chat";
  report.error = MakeError(ErrorKind::kPaymentRefusedByServer, "HTTP 500 after payment");
  report.payment = Charge();
  std::string line = FormatCallReport(report);
  EXPECT_TRUE(
      line.starts_with("{\"index\":4,\"error\":\"HTTP 500 after payment\",\"exit_code\":4,\"model\":null,"
                       "\"usage\":null,\"service\":\"groq\","))
      << line;
  EXPECT_NE(line.find("\"conversation\":null,\"timings\":{\"total_ms\":null,\"first_output_ms\":null}"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("\"paid\":\"0.001\""), std::string::npos) << line;
  EXPECT_EQ(line.find("\"output\""), std::string::npos) << line;
}

}  // namespace
}  // namespace mpp::cli
