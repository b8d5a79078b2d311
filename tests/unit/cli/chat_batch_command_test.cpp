// `mpp chat --batch` run as main runs it, on a fake network: every line gets a result line, failures
// are counted and the first one named, and paid refusals in a row stop the paying.
#include "cli/chat_batch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "support/fake_services.h"
#include "support/flow_fakes.h"
#include "support/wallet_test_support.h"

namespace mpp::cli {
namespace {

using mpp::testing::FakeNetwork;
using mpp::testing::MapEnv;
using mpp::testing::RunCommand;

constexpr const char* kEndpoint = "http://127.0.0.1:9/v1/chat/completions";
// Anvil's first test key; it never holds real funds.
constexpr const char* kTestKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

std::string Completion(const std::string& text) {
  return R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":)"
         R"({"role":"assistant","content":")" +
         text + R"("},"finish_reason":"stop"}]})";
}

bool HasCredential(const net::HttpRequest& request) {
  for (const auto& header : request.headers) {
    if (net::HeaderNameEquals(header.name, "Authorization")) return true;
  }
  return false;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

class ChatBatchCommand : public ::testing::Test {
 protected:
  ChatBatchCommand() { env_.Set("MPP_HOME", home_.path().string()); }

  testing::CommandRun Batch(const std::string& input, std::vector<std::string> flags = {}) {
    std::vector<std::string> args = {"chat", "--url", kEndpoint, "--network", "testnet", "--batch", "-"};
    args.insert(args.end(), flags.begin(), flags.end());
    return RunCommand(args, mpp::testing::FakeServices(network_, env_), input);
  }

  mpp::wallet::testing::TempDir home_;
  MapEnv env_;
  FakeNetwork network_;
};

TEST_F(ChatBatchCommand, EveryLineIsAnsweredInOrderWhenAllSucceed) {
  network_.Route("http://127.0.0.1:9/", [](const net::HttpRequest& request) {
    return mpp::testing::JsonResponse(
        200, Completion(request.body.find("second") != std::string::npos ? "two" : "one"));
  });
  auto run = Batch("\"first\"\n\"second\"\n", {"-j", "2"});
  ASSERT_TRUE(run.status.ok()) << run.status.error().message;
  auto lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_NE(lines[0].find(R"("index":0)"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("output":"one")"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(R"("index":1)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(R"("output":"two")"), std::string::npos) << lines[1];
}

TEST_F(ChatBatchCommand, FailedLinesDoNotStopTheOthersAndTheFirstIsNamedWithACount) {
  network_.Route("http://127.0.0.1:9/", [](const net::HttpRequest& request) {
    if (request.body.find("fail") != std::string::npos) {
      return mpp::testing::JsonResponse(500, R"({"error":{"message":"upstream broke"}})");
    }
    return mpp::testing::JsonResponse(200, Completion("fine"));
  });
  auto run = Batch("\"one\"\n\n\"fail two\"\n\"three\"\n\"fail four\"\n", {"--retries", "0"});
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 3);
  const std::string& message = run.status.error().message;
  EXPECT_TRUE(message.starts_with("2 of 4 batch lines failed; the first: line 3: ")) << message;
  auto lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 4u) << run.out;
  EXPECT_NE(lines[0].find(R"("output":"fine")"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(R"("error":)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(R"("output":"fine")"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(R"("error":)"), std::string::npos) << lines[3];
  EXPECT_EQ(network_.RequestsTo("http://127.0.0.1:9/").size(), 4u);  // --retries 0: no probe retried
}

TEST_F(ChatBatchCommand, ABadLineIsAUsageFailureOfThatLineOnly) {
  network_.Route("http://127.0.0.1:9/",
                 [](const net::HttpRequest&) { return mpp::testing::JsonResponse(200, Completion("fine")); });
  auto run = Batch("\"one\"\n[1, 2]\n");
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 2);
  EXPECT_NE(run.status.error().message.find("1 of 2 batch lines failed"), std::string::npos)
      << run.status.error().message;
  EXPECT_EQ(Lines(run.out).size(), 2u) << run.out;
}

TEST_F(ChatBatchCommand, AnInputWithoutLinesIsAUsageError) {
  auto run = Batch("\n  \n");
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 2);
  EXPECT_NE(run.status.error().message.find("holds no lines"), std::string::npos);
  EXPECT_TRUE(network_.Requests().empty());
}

TEST_F(ChatBatchCommand, PaidRefusalsInARowStopThePayingAndSkipTheRest) {
  env_.Set("MPP_PRIVATE_KEY", kTestKey);
  const std::string charge =
      R"({"amount":"1000","currency":"0x20c0000000000000000000000000000000000000",)"
      R"("recipient":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","methodDetails":{"chainId":42431}})";
  auto next_id = std::make_shared<std::atomic<int>>(0);  // every 402 offers a fresh challenge
  network_.Route("http://127.0.0.1:9/", [charge, next_id](const net::HttpRequest& request) {
    if (!HasCredential(request)) {
      const std::string id = "c" + std::to_string((*next_id)++);
      return mpp::testing::JsonResponse(402, "{}",
                                        {{"WWW-Authenticate", mpp::testing::ChargeChallenge(id, charge)}});
    }
    return mpp::testing::JsonResponse(403, R"({"error":{"message":"no answer for you"}})");
  });
  auto run = Batch("\"a\"\n\"b\"\n\"c\"\n\"d\"\n\"e\"\n", {"--max-failures", "2"});
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 4) << run.status.error().message;
  EXPECT_NE(run.status.error().message.find("stopped paying after 2 paid answers in a row"),
            std::string::npos)
      << run.status.error().message;
  EXPECT_NE(run.status.error().message.find("3 of 5 batch lines skipped"), std::string::npos)
      << run.status.error().message;
  auto lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 5u) << run.out;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    EXPECT_NE(lines[i].find("skipped: the service took payment"), std::string::npos) << lines[i];
  }
  std::size_t paid = 0;
  for (const auto& request : network_.RequestsTo("http://127.0.0.1:9/")) paid += HasCredential(request);
  EXPECT_EQ(paid, 2u);  // nothing was paid for the skipped lines
}

TEST_F(ChatBatchCommand, DumpCredentialDoesNotGoWithBatch) {
  auto run = Batch("\"one\"\n", {"--dump-credential", (home_.path() / "credential").string()});
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 2);
  EXPECT_NE(run.status.error().message.find("--dump-credential"), std::string::npos);
}

}  // namespace
}  // namespace mpp::cli
