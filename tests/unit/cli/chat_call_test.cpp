#include "cli/chat_call.h"

#include <gtest/gtest.h>

#include "support/flow_fakes.h"
#include "tempo/chains.h"
#include "util/hex.h"

namespace mpp::cli {
namespace {

constexpr const char* kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr std::int64_t kNow = 1'900'000'000;

constexpr const char* kStream =
    "data: {\"model\":\"m1\",\"choices\":[{\"delta\":{\"content\":\"echo: \"}}]}\n\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n"
    "data: [DONE]\n\n";

class ChatCallTest : public ::testing::Test {
 protected:
  ChatCallTest() {
    policy_.chain_id = tempo::kTestnetChainId;
    policy_.max_amount = U256(100'000);
    for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens) {
      policy_.known_currencies.push_back(tempo::TokenAddress(token));
    }
  }

  Result<ChatCallResult> Call(const ChatCallHooks& hooks = {}) {
    protocol::FlowSettings settings{policy_, "", [] { return kNow; }};
    protocol::PayFlow flow(
        http_, nullptr, ledger_,
        []() -> Result<crypto::PrivateKey> { return *crypto::PrivateKey::FromBytes(*FromHex(kKey)); },
        settings);
    return PerformChat(flow, ChatHttpRequest("http://127.0.0.1:9/v1/chat/completions", R"({"messages":[]})"),
                       hooks);
  }

  void OfferCharge() {
    std::string request =
        R"({"amount":"1000","currency":"0x20c0000000000000000000000000000000000000",)"
        R"("recipient":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","methodDetails":{"chainId":42431}})";
    http_.steps.push_back(
        {testing::Response(402, {{"WWW-Authenticate", testing::ChargeChallenge("c1", request)}}), false,
         true});
  }

  protocol::PayPolicy policy_;
  testing::ScriptedTransport http_;
  testing::MemoryLedger ledger_;
};

TEST_F(ChatCallTest, StreamsDeltasAndAssemblesTheSummary) {
  http_.steps.push_back({testing::Response(200, {}, kStream), false, true});
  std::string text;
  ChatCallHooks hooks;
  hooks.on_text = [&text](std::string_view delta) { text += delta; };
  auto result = Call(hooks);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(text, "echo: hi");
  ASSERT_TRUE(result->answer);
  EXPECT_EQ(result->answer->model, "m1");
  EXPECT_EQ(result->answer->usage->total_tokens, 3);
  EXPECT_FALSE(result->payment);
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].method, "POST");
}

TEST_F(ChatCallTest, APlainJsonAnswerToAStreamingRequestIsRead) {
  http_.steps.push_back(
      {testing::Response(200, {},
                         R"({"model":"m2","choices":[{"message":{"role":"assistant","content":"whole"}}]})"),
       false, true});
  std::string text;
  ChatCallHooks hooks;
  hooks.on_text = [&text](std::string_view delta) { text += delta; };
  auto result = Call(hooks);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(text, "whole");
  EXPECT_EQ(result->answer->model, "m2");
}

TEST_F(ChatCallTest, RawHookGetsTheBodyUnchanged) {
  http_.steps.push_back({testing::Response(200, {}, kStream), false, true});
  std::string body;
  ChatCallHooks hooks;
  hooks.on_body = [&body](std::string_view bytes) { body += bytes; };
  ASSERT_TRUE(Call(hooks).ok());
  EXPECT_EQ(body, kStream);
}

TEST_F(ChatCallTest, AnHttpErrorIsANetworkErrorWithTheServersWords) {
  http_.steps.push_back({testing::Response(404, {}, R"({"error":{"message":"bad model"}})"), false, true});
  auto result = Call();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(result.error().message.find("HTTP 404"), std::string::npos);
  EXPECT_NE(result.error().message.find("bad model"), std::string::npos);
}

TEST_F(ChatCallTest, A400BeforeAnyChallengeIsAUsageErrorQuotingTheService) {
  // Locus validates the body before it quotes a price: nothing was charged, the request must change.
  http_.steps.push_back(
      {testing::Response(400, {}, R"({"error":"Invalid request","message":"model is required"})"), false,
       true});
  auto result = Call();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kUsage);
  EXPECT_NE(result.error().message.find("HTTP 400"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("Invalid request: model is required"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("nothing was paid"), std::string::npos) << result.error().message;
  EXPECT_TRUE(ledger_.entries.empty());
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(ChatCallTest, AnUnreadablePaidAnswerKeepsThePayment) {
  OfferCharge();
  http_.steps.push_back({testing::Response(200, {}, "data: {broken\n\n"), false, true});
  auto result = Call();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_FALSE(result->answer);
  ASSERT_TRUE(result->payment);
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "settled");
  Error error = UnreadableAnswerError(*result);
  EXPECT_EQ(error.kind, ErrorKind::kNetwork);
  EXPECT_NE(error.message.find("paid 0.001 pathUSD"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("the payment stands"), std::string::npos) << error.message;
}

TEST_F(ChatCallTest, ALocusEnvelopeIsReadAsTheCompletionInsideIt) {
  OfferCharge();
  http_.steps.push_back(
      {testing::Response(
           200, {},
           R"({"success":true,"data":{"model":"grok-4.3","choices":[{"message":{"content":"hi"}}]}})"),
       false, true});
  std::string text;
  ChatCallHooks hooks;
  hooks.on_text = [&text](std::string_view delta) { text += delta; };
  hooks.unwrap_envelope = true;
  auto result = Call(hooks);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_TRUE(result->answer) << result->answer_error->message;
  EXPECT_EQ(text, "hi");
  EXPECT_EQ(result->answer->model, "grok-4.3");
  EXPECT_TRUE(result->payment);
}

}  // namespace
}  // namespace mpp::cli
