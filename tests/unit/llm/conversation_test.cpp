#include "llm/conversation.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "llm/conversation_record.h"

namespace mpp::llm {
namespace {

namespace fs = std::filesystem;

class ConversationLog : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mpp-llm-conv-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    dir_ = root_ / "data" / "conversations";
  }
  void TearDown() override { fs::remove_all(root_); }

  ExchangeRecord Record(std::int64_t time, std::string prompt, std::string answer) {
    ExchangeRecord record;
    record.unix_time = time;
    record.service = "groq";
    record.model = "llama";
    record.messages = {TextMessage("user", std::move(prompt))};
    record.response = std::move(answer);
    return record;
  }

  fs::path root_;
  fs::path dir_;
};

TEST(ConversationId, IsTimestampedAndFileSafe) {
  std::string id = NewConversationId(1763776260);  // 2025-11-22T01:51:00Z
  EXPECT_TRUE(id.starts_with("20251122-015100-")) << id;
  EXPECT_EQ(id.size(), 24u);
  EXPECT_TRUE(IsValidConversationId(id));
  EXPECT_NE(NewConversationId(1763776260), id);
}

TEST(ConversationId, RejectsPathsAndOddCharacters) {
  for (const char* bad : {"", "../x", "a/b", ".hidden", "a b", "x.jsonl"})
    EXPECT_FALSE(IsValidConversationId(bad)) << bad;
  EXPECT_FALSE(IsValidConversationId(std::string(65, 'a')));
}

TEST(ConversationRecord, RoundTripsEveryField) {
  ExchangeRecord record;
  record.unix_time = 1763776260;
  record.service = "openai";
  record.model = "gpt-4o";
  record.messages = {TextMessage("system", "s"), TextMessage("user", "q\n\"quoted\"")};
  record.response = "a";
  record.usage = Usage{1, 2, 3};
  record.paid = "0.001";
  record.tx = "0xabc";
  std::string line = FormatExchangeLine(record);
  EXPECT_TRUE(line.starts_with(R"({"time":"2025-11-22T01:51:00Z","service":"openai")")) << line;
  EXPECT_TRUE(line.ends_with("\n"));
  auto parsed = ParseExchangeLine(std::string_view(line).substr(0, line.size() - 1));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->unix_time, record.unix_time);
  EXPECT_EQ(parsed->messages, record.messages);
  EXPECT_EQ(parsed->usage, record.usage);
  EXPECT_EQ(parsed->paid, "0.001");
  EXPECT_EQ(parsed->tx, "0xabc");
}

TEST(ConversationRecord, LeavesOutEmptyOptionalFields) {
  std::string line = FormatExchangeLine(ExchangeRecord{});
  EXPECT_EQ(line.find("paid"), std::string::npos);
  EXPECT_EQ(line.find("usage"), std::string::npos);
}

TEST_F(ConversationLog, AppendsAndReplaysHistory) {
  std::string id = "c1";
  ASSERT_TRUE(AppendExchange(dir_, id, Record(100, "hi", "hello")));
  ASSERT_TRUE(AppendExchange(dir_, id, Record(200, "more", "sure")));
  auto history = LoadHistory(dir_, id);
  ASSERT_TRUE(history) << history.error().message;
  std::vector<Message> expected = {TextMessage("user", "hi"), TextMessage("assistant", "hello"),
                                   TextMessage("user", "more"), TextMessage("assistant", "sure")};
  EXPECT_EQ(*history, expected);
}

TEST_F(ConversationLog, FilesArePrivate) {
  ASSERT_TRUE(AppendExchange(dir_, "c1", Record(100, "hi", "hello")));
  struct stat dir_stat {};
  struct stat file_stat {};
  ASSERT_EQ(::stat(dir_.c_str(), &dir_stat), 0);
  ASSERT_EQ(::stat((dir_ / "c1.jsonl").c_str(), &file_stat), 0);
  EXPECT_EQ(dir_stat.st_mode & 0777, 0700u);
  EXPECT_EQ(file_stat.st_mode & 0777, 0600u);
}

TEST_F(ConversationLog, LaterSystemPromptReplacesTheFirst) {
  ExchangeRecord first = Record(100, "a", "b");
  first.messages.insert(first.messages.begin(), TextMessage("system", "old"));
  ExchangeRecord second = Record(200, "c", "d");
  second.messages.insert(second.messages.begin(), TextMessage("system", "new"));
  ASSERT_TRUE(AppendExchange(dir_, "c1", first));
  ASSERT_TRUE(AppendExchange(dir_, "c1", second));
  auto history = LoadHistory(dir_, "c1");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 5u);
  EXPECT_EQ((*history)[0], TextMessage("system", "new"));
  EXPECT_EQ((*history)[3], TextMessage("user", "c"));
}

TEST_F(ConversationLog, UnknownOrInvalidIdIsAUsageError) {
  auto unknown = LoadHistory(dir_, "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::kUsage);
  EXPECT_NE(unknown.error().message.find("--list"), std::string::npos);
  auto invalid = LoadHistory(dir_, "../etc/passwd");
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().kind, ErrorKind::kUsage);
  EXPECT_FALSE(AppendExchange(dir_, "a/b", Record(1, "x", "y")));
}

TEST_F(ConversationLog, TornLastLineIsSkippedButDamageElsewhereIsReported) {
  ASSERT_TRUE(AppendExchange(dir_, "c1", Record(100, "hi", "hello")));
  {
    std::ofstream out(dir_ / "c1.jsonl", std::ios::app);
    out << R"({"time":"2025-)";
  }
  auto history = LoadHistory(dir_, "c1");
  ASSERT_TRUE(history) << history.error().message;
  EXPECT_EQ(history->size(), 2u);
  {
    std::ofstream out(dir_ / "c1.jsonl", std::ios::app);
    out << "\n";
  }
  auto damaged = LoadHistory(dir_, "c1");
  ASSERT_FALSE(damaged);
  EXPECT_NE(damaged.error().message.find("c1.jsonl:2"), std::string::npos) << damaged.error().message;
}

TEST_F(ConversationLog, LastIdIsTheMostRecentlyWritten) {
  auto none = LastConversationId(dir_);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(AppendExchange(dir_, "b", Record(100, "x", "y")));
  ASSERT_TRUE(AppendExchange(dir_, "a", Record(100, "x", "y")));
  auto now = fs::file_time_type::clock::now();
  fs::last_write_time(dir_ / "b.jsonl", now);
  fs::last_write_time(dir_ / "a.jsonl", now - std::chrono::seconds(10));
  auto last = LastConversationId(dir_);
  ASSERT_TRUE(last);
  EXPECT_EQ(**last, "b");
}

TEST_F(ConversationLog, ListsRecentConversationsWithPreviewAndTurns) {
  ASSERT_TRUE(AppendExchange(dir_, "old", Record(100, "first\nquestion", "a")));
  ASSERT_TRUE(AppendExchange(dir_, "new", Record(300, std::string(200, 'x'), "a")));
  ASSERT_TRUE(AppendExchange(dir_, "new", Record(400, "follow-up", "b")));
  {
    std::ofstream stray(dir_ / "notes.txt");
    stray << "ignored";
  }
  auto now = fs::file_time_type::clock::now();
  fs::last_write_time(dir_ / "new.jsonl", now);
  fs::last_write_time(dir_ / "old.jsonl", now - std::chrono::seconds(10));
  auto list = ListConversations(dir_, 10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "new");
  EXPECT_EQ((*list)[0].turns, 2u);
  EXPECT_EQ((*list)[0].updated, 400);
  EXPECT_LE((*list)[0].preview.size(), 64u);
  EXPECT_EQ((*list)[1].preview, "first question");
  auto one = ListConversations(dir_, 1);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1u);
  auto missing = ListConversations(root_ / "absent", 5);
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->empty());
}

}  // namespace
}  // namespace mpp::llm
