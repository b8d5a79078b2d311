// `mpp logs` run as main runs it, over a conversation log written with AppendExchange, on a fake
// network that records every request: there must never be one.
#include "cli/logs.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "llm/conversation.h"
#include "support/fake_services.h"
#include "support/wallet_test_support.h"

namespace mpp::cli {
namespace {

using mpp::testing::FakeNetwork;
using mpp::testing::MapEnv;
using mpp::testing::RunCommand;

class LogsCommand : public ::testing::Test {
 protected:
  LogsCommand() { env_.Set("MPP_HOME", home_.path().string()); }
  void TearDown() override { EXPECT_TRUE(network_.Requests().empty()) << "mpp logs sent a request"; }

  void Log(const std::string& id, std::int64_t time, const std::string& prompt, const std::string& answer,
           const std::string& paid = "") {
    llm::ExchangeRecord record;
    record.unix_time = time;
    record.service = "groq";
    record.model = "llama";
    record.messages = {llm::TextMessage("user", prompt)};
    record.response = answer;
    record.paid = paid;
    ASSERT_TRUE(llm::AppendExchange(home_.path() / "conversations", id, record));
  }

  testing::CommandRun Logs(std::vector<std::string> flags) {
    flags.insert(flags.begin(), "logs");
    return RunCommand(flags, mpp::testing::FakeServices(network_, env_));
  }

  mpp::wallet::testing::TempDir home_;
  MapEnv env_;
  FakeNetwork network_;
};

TEST_F(LogsCommand, LastPrintsTheNewestAnswerOnly) {
  Log("c1", 100, "first", "one");
  Log("c1", 200, "second", "two, with no newline", "0.001");
  auto run = Logs({"-r"});
  ASSERT_TRUE(run.status) << run.status.error().message;
  EXPECT_EQ(run.out, "two, with no newline\n");
}

TEST_F(LogsCommand, ConversationReadsOldestFirstAndCountTakesItsLastExchanges) {
  Log("c1", 100, "first", "one");
  Log("c1", 200, "second", "two");
  Log("c1", 300, "third", "three");
  auto run = Logs({"--cid", "c1", "-n", "2"});
  ASSERT_TRUE(run.status) << run.status.error().message;
  EXPECT_EQ(run.out.find("first"), std::string::npos) << run.out;
  std::size_t second = run.out.find("## Prompt\n\nsecond\n");
  std::size_t third = run.out.find("## Prompt\n\nthird\n");
  ASSERT_NE(second, std::string::npos) << run.out;
  ASSERT_NE(third, std::string::npos) << run.out;
  EXPECT_LT(second, third);
}

TEST_F(LogsCommand, ListIsNewestFirstAndQueryFilters) {
  Log("c1", 100, "about cats", "meow");
  Log("c2", 200, "about dogs", "woof");
  auto all = Logs({});
  ASSERT_TRUE(all.status) << all.status.error().message;
  EXPECT_EQ(all.out,
            "1970-01-01 00:03:20  groq  llama  free  c2  about dogs\n"
            "1970-01-01 00:01:40  groq  llama  free  c1  about cats\n");
  auto meow = Logs({"-q", "MEOW"});
  ASSERT_TRUE(meow.status);
  EXPECT_EQ(meow.out, "1970-01-01 00:01:40  groq  llama  free  c1  about cats\n");
  auto none = Logs({"-q", "moo"});
  ASSERT_TRUE(none.status);
  EXPECT_EQ(none.out, "");
}

TEST_F(LogsCommand, EmptyLogListsNothingButLastIsAUsageError) {
  auto list = Logs({});
  ASSERT_TRUE(list.status) << list.status.error().message;
  EXPECT_EQ(list.out, "");
  auto json = Logs({"--json"});
  ASSERT_TRUE(json.status);
  EXPECT_EQ(json.out, "[]\n");
  auto last = Logs({"-r"});
  ASSERT_FALSE(last.status);
  EXPECT_EQ(last.status.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(last.out, "");
}

TEST_F(LogsCommand, UnknownConversationAndBadFlagsAreUsageErrors) {
  Log("c1", 100, "first", "one");
  for (const std::vector<std::string>& flags : std::vector<std::vector<std::string>>{{"--cid", "nope"},
                                                                                     {"--cid", "../c1"},
                                                                                     {"-q", ""},
                                                                                     {"-n", "0"},
                                                                                     {"-r", "--json"},
                                                                                     {"-r", "-n", "2"}}) {
    auto run = Logs(flags);
    ASSERT_FALSE(run.status) << flags[0];
    EXPECT_EQ(run.status.error().kind, ErrorKind::kUsage) << flags[0] << ": " << run.status.error().message;
    EXPECT_EQ(run.out, "");
  }
}

}  // namespace
}  // namespace mpp::cli
