// `mpp chat --batch --budget X` run as main runs it, on a fake network: the workers share one budget,
// so the batch never pays for more than fits in X, and the lines that do not fit are skipped (exit 5).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "support/fake_services.h"
#include "support/flow_fakes.h"
#include "support/wallet_test_support.h"
#include "util/amount.h"

namespace mpp::cli {
namespace {

using mpp::testing::FakeNetwork;
using mpp::testing::MapEnv;
using mpp::testing::RunCommand;

constexpr const char* kBudgetEndpoint = "http://127.0.0.1:9/v1/chat/completions";
// Anvil's first test key; it never holds real funds.
constexpr const char* kBudgetKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr std::uint64_t kPrice = 1000;

bool CarriesCredential(const net::HttpRequest& request) {
  for (const auto& header : request.headers) {
    if (net::HeaderNameEquals(header.name, "Authorization")) return true;
  }
  return false;
}

std::vector<rapidjson::Document> ResultLines(const std::string& text) {
  std::vector<rapidjson::Document> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.emplace_back();
    lines.back().Parse(text.substr(start, end - start).c_str());
    start = end + 1;
  }
  return lines;
}

class ChatBudgetCommand : public ::testing::Test {
 protected:
  ChatBudgetCommand() {
    env_.Set("MPP_HOME", home_.path().string());
    env_.Set("MPP_PRIVATE_KEY", kBudgetKey);
    const std::string charge =
        R"({"amount":")" + std::to_string(kPrice) +
        R"(","currency":"0x20c0000000000000000000000000000000000000",)"
        R"("recipient":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","methodDetails":{"chainId":42431}})";
    auto next_id = std::make_shared<std::atomic<int>>(0);  // every 402 offers a fresh challenge
    network_.Route("http://127.0.0.1:9/", [charge, next_id](const net::HttpRequest& request) {
      if (!CarriesCredential(request)) {
        const std::string id = "c" + std::to_string((*next_id)++);
        return mpp::testing::JsonResponse(402, "{}",
                                          {{"WWW-Authenticate", mpp::testing::ChargeChallenge(id, charge)}});
      }
      return mpp::testing::JsonResponse(
          200, R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":)"
               R"({"role":"assistant","content":"fine"},"finish_reason":"stop"}]})");
    });
  }

  testing::CommandRun Batch(int lines, const std::string& jobs, const std::string& budget) {
    std::string input;
    for (int i = 0; i < lines; ++i) input += "\"line " + std::to_string(i) + "\"\n";
    std::vector<std::string> args = {
        "chat", "--url", kBudgetEndpoint, "--network", "testnet",   "--batch", "-",
        "-j",   jobs,    "--budget",      budget,      "--retries", "0"};
    return RunCommand(args, mpp::testing::FakeServices(network_, env_), input);
  }

  std::size_t PaidRequests() {
    std::size_t paid = 0;
    for (const auto& request : network_.RequestsTo("http://127.0.0.1:9/")) paid += CarriesCredential(request);
    return paid;
  }

  // The fee bound one payment reserves on this fake network, read from a paid line's "fee_max".
  U256 FeeBound() {
    auto run = Batch(1, "1", "1");
    EXPECT_TRUE(run.status.ok()) << run.status.error().message;
    auto lines = ResultLines(run.out);
    EXPECT_EQ(lines.size(), 1u);
    EXPECT_TRUE(lines[0].HasMember("fee_max")) << run.out;
    return *ParseTokenAmount(lines[0]["fee_max"].GetString());
  }

  mpp::wallet::testing::TempDir home_;
  MapEnv env_;
  FakeNetwork network_;
};

TEST_F(ChatBudgetCommand, ParallelWorkersPayOnlyWhatTheBudgetAllowsAndSkipTheRest) {
  const U256 fee = FeeBound();
  const std::size_t before = PaidRequests();
  // Room for three payments and a half, with their fee bounds: three are paid, by four workers.
  const U256 per_line = U256::SaturatingAdd(U256(kPrice), fee);
  const U256 budget = U256::SaturatingAdd(*U256::CheckedMul(per_line, 3), U256(kPrice / 2));
  auto run = Batch(12, "4", FormatTokenAmount(budget));
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 5) << run.status.error().message;
  EXPECT_NE(run.status.error().message.find("9 of 12 batch lines skipped"), std::string::npos)
      << run.status.error().message;
  EXPECT_EQ(PaidRequests() - before, 3u);
  auto lines = ResultLines(run.out);
  ASSERT_EQ(lines.size(), 12u) << run.out;
  std::size_t paid = 0;
  std::size_t skipped = 0;
  for (const auto& line : lines) {
    if (line.HasMember("paid")) ++paid;
    if (line.HasMember("error") &&
        std::string(line["error"].GetString()).starts_with("skipped: the batch budget")) {
      ++skipped;
      EXPECT_EQ(line["exit_code"].GetInt(), 5);
    }
  }
  EXPECT_EQ(paid, 3u) << run.out;
  EXPECT_EQ(skipped, 9u) << run.out;
}

TEST_F(ChatBudgetCommand, APriceThatFitsButNotWithItsFeeIsNotPaid) {
  auto run = Batch(5, "4", FormatTokenAmount(U256(kPrice)));  // the price alone, no room for a fee
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 5);
  EXPECT_EQ(PaidRequests(), 0u);
  EXPECT_NE(run.out.find("with its fee"), std::string::npos) << run.out;
}

TEST_F(ChatBudgetCommand, APriceAboveTheBudgetIsRefusedBeforeSigning) {
  auto run = Batch(3, "1", FormatTokenAmount(U256(kPrice - 1)));
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 5);
  EXPECT_EQ(PaidRequests(), 0u);
  EXPECT_NE(run.out.find("before any fee"), std::string::npos) << run.out;
  EXPECT_NE(run.status.error().message.find("3 of 3 batch lines skipped"), std::string::npos)
      << run.status.error().message;
}

}  // namespace
}  // namespace mpp::cli
