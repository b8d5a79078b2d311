// The pay flow's retries of the unpaid probe, and its before-paying hook (--confirm).
#include <gtest/gtest.h>

#include "mpp/flow.h"
#include "support/flow_fakes.h"
#include "tempo/chains.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

using testing::ChargeChallenge;
using testing::Response;

constexpr const char* kRetryPayerKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kRetryRecipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kRetryPathUsd = "0x20c0000000000000000000000000000000000000";
constexpr std::int64_t kRetryNow = 1'900'000'000;  // Sun, 17 Mar 2030 17:46:40 GMT

std::string RetryCharge(const std::string& amount) {
  return ChargeChallenge("ch-" + amount, R"({"amount":")" + amount + R"(","currency":")" + kRetryPathUsd +
                                             R"(","recipient":")" + kRetryRecipient +
                                             R"(","methodDetails":{"chainId":42431}})");
}

bool CarriesCredential(const net::HttpRequest& request) {
  for (const auto& h : request.headers) {
    if (h.name == "Authorization") return true;
  }
  return false;
}

class ProbeRetryFlow : public ::testing::Test {
 protected:
  ProbeRetryFlow() {
    policy_.chain_id = tempo::kTestnetChainId;
    policy_.max_amount = U256(100'000);
    for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens) {
      policy_.known_currencies.push_back(tempo::TokenAddress(token));
    }
  }

  Result<FlowResult> Perform() {
    FlowSettings settings;
    settings.policy = policy_;
    settings.now = [] { return kRetryNow; };
    PayFlow flow(
        http_, nullptr, ledger_,
        [this]() -> Result<crypto::PrivateKey> {
          ++key_reads_;
          return *crypto::PrivateKey::FromBytes(*FromHex(kRetryPayerKey));
        },
        settings);
    ProbeRetry retry;
    retry.retries = retries_;
    retry.pause = [this](std::int64_t ms) {
      pauses_.push_back(ms);
      return !interrupt_;
    };
    retry.jitter = [] { return 1.0; };
    flow.SetProbeRetry(retry);
    flow.SetBeforePaying(before_paying_);
    return flow.Perform({"POST", "http://127.0.0.1:9/v1/chat/completions", {}, R"({"messages":[]})"},
                        nullptr);
  }

  void Answer(net::HttpResponse response) { http_.steps.push_back({std::move(response), false, true}); }
  void Offer(const std::string& challenge) { Answer(Response(402, {{"WWW-Authenticate", challenge}})); }
  void FailToConnect() { http_.steps.push_back({net::HttpResponse{}, true, false}); }

  PayPolicy policy_;
  testing::ScriptedTransport http_;
  testing::MemoryLedger ledger_;
  int retries_ = kDefaultProbeRetries;
  bool interrupt_ = false;
  PayFlow::BeforePaying before_paying_;
  std::vector<std::int64_t> pauses_;
  int key_reads_ = 0;
};

TEST_F(ProbeRetryFlow, A503TwiceThenA402IsPaidOnceAfterTwoRetries) {
  Answer(Response(503, {}, R"({"error":"overloaded"})"));
  Answer(Response(503));
  Offer(RetryCharge("1000"));
  Answer(Response(200, {}, "paid answer"));
  auto result = Perform();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->response.status, 200);
  ASSERT_EQ(http_.requests.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(CarriesCredential(http_.requests[i])) << i;
  EXPECT_TRUE(CarriesCredential(http_.requests[3]));
  EXPECT_EQ(pauses_, (std::vector<std::int64_t>{500, 1000}));
  EXPECT_EQ(ledger_.entries.size(), 1u);
}

TEST_F(ProbeRetryFlow, AServerErrorAfterTheCredentialIsNeverRetried) {
  Offer(RetryCharge("1000"));
  Answer(Response(503, {{"Retry-After", "0"}}, R"({"error":"overloaded"})"));
  auto result = Perform();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedByServer);
  EXPECT_EQ(http_.requests.size(), 2u);
  EXPECT_TRUE(pauses_.empty());
  ASSERT_EQ(ledger_.entries.size(), 1u);
  EXPECT_EQ(ledger_.entries[0].outcome, "undelivered");
}

TEST_F(ProbeRetryFlow, ZeroRetriesSendsTheProbeOnce) {
  retries_ = 0;
  Answer(Response(503));
  Answer(Response(200, {}, "never asked for"));
  auto result = Perform();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->response.status, 503);
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_TRUE(pauses_.empty());
}

TEST_F(ProbeRetryFlow, RetriesStopAtTheCountAndTheLastAnswerComesBack) {
  for (int i = 0; i < 4; ++i) Answer(Response(500));
  auto result = Perform();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->response.status, 500);
  EXPECT_EQ(http_.requests.size(), 3u);
  EXPECT_TRUE(ledger_.entries.empty());
  EXPECT_EQ(key_reads_, 0);
}

TEST_F(ProbeRetryFlow, RetryAfterSecondsIsWaitedFor) {
  Answer(Response(429, {{"Retry-After", "3"}}));
  Answer(Response(200, {}, "free"));
  auto result = Perform();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->response.status, 200);
  EXPECT_EQ(pauses_, (std::vector<std::int64_t>{3000}));
}

TEST_F(ProbeRetryFlow, RetryAfterAsAnHttpDateIsWaitedFor) {
  Answer(Response(503, {{"Retry-After", "Sun, 17 Mar 2030 17:46:44 GMT"}}));
  Answer(Response(200, {}, "free"));
  auto result = Perform();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(pauses_, (std::vector<std::int64_t>{4000}));
}

TEST_F(ProbeRetryFlow, ARetryAfterLongerThanTheCapIsNotWaitedFor) {
  Answer(Response(429, {{"Retry-After", "31"}}));
  Answer(Response(200, {}, "never asked for"));
  auto result = Perform();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->response.status, 429);
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_TRUE(pauses_.empty());
}

TEST_F(ProbeRetryFlow, AnUnreadableRetryAfterFallsBackToTheBackoff) {
  Answer(Response(503, {{"Retry-After", "soon"}}));
  Answer(Response(200, {}, "free"));
  ASSERT_TRUE(Perform().ok());
  EXPECT_EQ(pauses_, (std::vector<std::int64_t>{500}));
}

TEST_F(ProbeRetryFlow, AConnectionNeverMadeIsRetriedThenIsANetworkError) {
  FailToConnect();
  FailToConnect();
  FailToConnect();
  auto result = Perform();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(result.error().message.find("after 2 retries"), std::string::npos) << result.error().message;
  EXPECT_EQ(http_.requests.size(), 3u);
  EXPECT_TRUE(ledger_.entries.empty());
}

TEST_F(ProbeRetryFlow, AFailureAfterTheRequestWentOutIsNotRetried) {
  http_.steps.push_back({net::HttpResponse{}, true, true});
  Answer(Response(200, {}, "never asked for"));
  auto result = Perform();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kNetwork);
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(ProbeRetryFlow, AnInterruptedPauseStopsTheCall) {
  interrupt_ = true;
  Answer(Response(503));
  Answer(Response(200, {}, "never asked for"));
  auto result = Perform();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kInterrupted);
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(ProbeRetryFlow, BeforePayingSeesTheChosenChallengeAndItsRefusalSignsNothing) {
  std::vector<U256> asked;
  before_paying_ = [&asked](const ChallengeVerdict& chosen) -> Status {
    asked.push_back(chosen.amount);
    return MakeError(ErrorKind::kPaymentRefusedLocally, "not confirmed; nothing was paid");
  };
  Offer(RetryCharge("1000"));
  auto result = Perform();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(asked, std::vector<U256>{U256(1000)});
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_TRUE(ledger_.entries.empty());
  EXPECT_EQ(key_reads_, 0);
}

TEST_F(ProbeRetryFlow, BeforePayingIsNotAskedAboutAChallengeTheCapsRefuse) {
  bool asked = false;
  before_paying_ = [&asked](const ChallengeVerdict&) -> Status {
    asked = true;
    return {};
  };
  Offer(RetryCharge("5000000"));
  auto result = Perform();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_FALSE(asked);
}

}  // namespace
}  // namespace mpp::protocol
