#include "llm/exchange_log.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "llm/conversation_record.h"

namespace mpp::llm {
namespace {

namespace fs = std::filesystem;

ExchangeRecord LoggedRecord(std::int64_t time, std::string prompt, std::string answer) {
  ExchangeRecord record;
  record.unix_time = time;
  record.service = "groq";
  record.model = "llama";
  record.messages = {TextMessage("user", std::move(prompt))};
  record.response = std::move(answer);
  return record;
}

std::vector<std::int64_t> TimesOf(const std::vector<LoggedExchange>& exchanges) {
  std::vector<std::int64_t> times;
  for (const auto& exchange : exchanges) times.push_back(exchange.record.unix_time);
  return times;
}

class ExchangeLogSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mpp-llm-exlog-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    dir_ = root_ / "conversations";
  }
  void TearDown() override { fs::remove_all(root_); }

  // Appends the records to conversation `id` and dates its file to the last one, as chat would have.
  void Write(const std::string& id, const std::vector<ExchangeRecord>& records) {
    for (const auto& record : records) ASSERT_TRUE(AppendExchange(dir_, id, record));
    Date(id, records.back().unix_time);
  }
  void Date(const std::string& id, std::int64_t time) {
    auto when = std::chrono::sys_seconds(std::chrono::seconds(time));
    fs::last_write_time(dir_ / (id + ".jsonl"), std::chrono::file_clock::from_sys(when));
  }
  void AppendRaw(const std::string& id, const std::string& text) {
    std::ofstream(dir_ / (id + ".jsonl"), std::ios::app) << text;
  }

  fs::path root_;
  fs::path dir_;
};

TEST(ExchangeMatch, FindsTextInAnswerOrAnyMessageIgnoringAsciiCase) {
  ExchangeRecord record = LoggedRecord(1, "What is MPP?", "Machine Payments Protocol");
  record.messages.insert(record.messages.begin(), TextMessage("system", "answer briefly"));
  EXPECT_TRUE(MatchesText(record, "payments"));
  EXPECT_TRUE(MatchesText(record, "what is mpp"));
  EXPECT_TRUE(MatchesText(record, "BRIEFLY"));
  EXPECT_TRUE(MatchesText(record, ""));
  EXPECT_FALSE(MatchesText(record, "tempo"));
  EXPECT_FALSE(MatchesText(record, "MPP? Machine"));  // prompt and answer are not one text
}

TEST(ExchangeOrder, NewestFirstKeepsTheLimitAndBreaksTiesByPosition) {
  std::vector<LoggedExchange> exchanges = {{"a", LoggedRecord(100, "1", "")},
                                           {"b", LoggedRecord(300, "2", "")},
                                           {"c", LoggedRecord(100, "3", "")},
                                           {"d", LoggedRecord(200, "4", "")}};
  auto newest = NewestFirst(exchanges, 3);
  ASSERT_EQ(newest.size(), 3u);
  EXPECT_EQ(newest[0].conversation_id, "b");
  EXPECT_EQ(newest[1].conversation_id, "d");
  EXPECT_EQ(newest[2].conversation_id, "c");  // the later of the two at 100
  EXPECT_EQ(NewestFirst(exchanges, 0).size(), 0u);
  EXPECT_EQ(NewestFirst(exchanges, 10).size(), 4u);
}

TEST_F(ExchangeLogSearch, MissingDirectoryFindsNothing) {
  auto search = FindExchanges(dir_, {"", "", 20});
  ASSERT_TRUE(search) << search.error().message;
  EXPECT_TRUE(search->exchanges.empty());
}

TEST_F(ExchangeLogSearch, InterleavesConversationsNewestFirst) {
  Write("a", {LoggedRecord(100, "a1", "x"), LoggedRecord(300, "a2", "x")});
  Write("b", {LoggedRecord(200, "b1", "x"), LoggedRecord(400, "b2", "x")});
  auto search = FindExchanges(dir_, {"", "", 3});
  ASSERT_TRUE(search) << search.error().message;
  EXPECT_EQ(TimesOf(search->exchanges), (std::vector<std::int64_t>{400, 300, 200}));
  EXPECT_EQ(search->exchanges[0].conversation_id, "b");
  EXPECT_EQ(search->exchanges[1].conversation_id, "a");
  EXPECT_EQ(search->exchanges[1].record.messages[0].content, "a2");
}

TEST_F(ExchangeLogSearch, LeavesOlderFilesUnreadOnceTheLimitIsMet) {
  Write("new", {LoggedRecord(500, "n1", "x"), LoggedRecord(600, "n2", "x")});
  AppendRaw("old", "not a record\n");
  Write("old", {LoggedRecord(100, "o1", "x")});
  auto two = FindExchanges(dir_, {"", "", 2});
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_EQ(TimesOf(two->exchanges), (std::vector<std::int64_t>{600, 500}));
  EXPECT_EQ(two->damaged_lines, 0u) << "the old file was read";
  auto three = FindExchanges(dir_, {"", "", 3});
  ASSERT_TRUE(three) << three.error().message;
  EXPECT_EQ(TimesOf(three->exchanges), (std::vector<std::int64_t>{600, 500, 100}));
  EXPECT_EQ(three->damaged_lines, 1u);
}

TEST_F(ExchangeLogSearch, QuerySearchesEveryConversation) {
  Write("a", {LoggedRecord(100, "hello", "the Tempo chain"), LoggedRecord(200, "more", "nothing")});
  Write("b", {LoggedRecord(300, "tempo?", "yes"), LoggedRecord(400, "bye", "bye")});
  auto search = FindExchanges(dir_, {"", "TEMPO", 20});
  ASSERT_TRUE(search) << search.error().message;
  EXPECT_EQ(TimesOf(search->exchanges), (std::vector<std::int64_t>{300, 100}));
  auto none = FindExchanges(dir_, {"", "absent", 20});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->exchanges.empty());
}

TEST_F(ExchangeLogSearch, ConversationIdReadsOnlyThatConversationNewestFirst) {
  Write("a", {LoggedRecord(100, "a1", "x"), LoggedRecord(300, "a2", "x"), LoggedRecord(350, "a3", "x")});
  Write("b", {LoggedRecord(400, "b1", "x")});
  auto all = FindExchanges(dir_, {"a", "", 20});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(TimesOf(all->exchanges), (std::vector<std::int64_t>{350, 300, 100}));
  auto last_two = FindExchanges(dir_, {"a", "", 2});
  ASSERT_TRUE(last_two);
  EXPECT_EQ(TimesOf(last_two->exchanges), (std::vector<std::int64_t>{350, 300}));
}

TEST_F(ExchangeLogSearch, UnknownOrInvalidConversationIsAUsageError) {
  Write("a", {LoggedRecord(100, "a1", "x")});
  auto unknown = FindExchanges(dir_, {"nope", "", 20});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::kUsage);
  EXPECT_NE(unknown.error().message.find("'nope'"), std::string::npos) << unknown.error().message;
  auto invalid = FindExchanges(dir_, {"../a", "", 20});
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().kind, ErrorKind::kUsage);
}

TEST_F(ExchangeLogSearch, SkipsAndCountsDamagedLinesAndATornLastLine) {
  ASSERT_TRUE(AppendExchange(dir_, "a", LoggedRecord(100, "a1", "x")));
  AppendRaw("a", "{\"time\":\"bad\"}\n[1,2]\n");
  ASSERT_TRUE(AppendExchange(dir_, "a", LoggedRecord(200, "a2", "x")));
  AppendRaw("a", "{\"time\":\"2026-");  // torn: no newline
  Date("a", 200);
  auto search = FindExchanges(dir_, {"", "", 20});
  ASSERT_TRUE(search) << search.error().message;
  EXPECT_EQ(TimesOf(search->exchanges), (std::vector<std::int64_t>{200, 100}));
  EXPECT_EQ(search->damaged_lines, 2u);
}

}  // namespace
}  // namespace mpp::llm
