#include "net/sse.h"

#include <gtest/gtest.h>

#include <random>

namespace mpp::net {
namespace {

using namespace std::string_view_literals;

std::vector<SseEvent> ReadAll(std::string_view stream, SseReader reader = SseReader()) {
  std::vector<SseEvent> events;
  EXPECT_TRUE(reader.Feed(stream, events));
  EXPECT_TRUE(reader.Finish(events));
  return events;
}

// Feeds `stream` in pieces cut at `cuts` (sorted offsets).
std::vector<SseEvent> ReadSplit(std::string_view stream, const std::vector<std::size_t>& cuts) {
  SseReader reader;
  std::vector<SseEvent> events;
  std::size_t start = 0;
  for (std::size_t cut : cuts) {
    EXPECT_TRUE(reader.Feed(stream.substr(start, cut - start), events));
    start = cut;
  }
  EXPECT_TRUE(reader.Feed(stream.substr(start), events));
  EXPECT_TRUE(reader.Finish(events));
  return events;
}

bool Same(const std::vector<SseEvent>& a, const std::vector<SseEvent>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].type != b[i].type || a[i].data != b[i].data || a[i].id != b[i].id) return false;
  }
  return true;
}

TEST(SseReader, ReadsOpenAiStyleChunks) {
  auto events = ReadAll("data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data, "{\"a\":1}");
  EXPECT_EQ(events[0].type, "message");
  EXPECT_TRUE(events[0].IsMessage());
  EXPECT_EQ(events[2].data, "[DONE]");
}

TEST(SseReader, JoinsMultiLineData) {
  auto events = ReadAll("data: first\ndata:second\ndata\ndata:  third\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "first\nsecond\n\n third");  // one leading space is removed, not two
}

TEST(SseReader, SkipsCommentsAndUnknownFields) {
  auto events = ReadAll(": OPENROUTER PROCESSING\n\n:keep-alive\nretry: 10\nfoo: bar\ndata: x\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
}

TEST(SseReader, KeepsEventNameAndPersistentId) {
  auto events = ReadAll("event: delta\nid: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "delta");
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[1].type, "message");  // the name does not carry over
  EXPECT_EQ(events[1].id, "7");          // the id does
  EXPECT_EQ(events[2].id, "");
}

TEST(SseReader, TypesEachEventOfAMeteredStream) {
  auto events = ReadAll(
      "event: message\ndata: {\"a\":1}\n\n"
      "event: payment-need-voucher\ndata: {\"channelId\":\"0x01\"}\n\n"
      "data: {\"a\":2}\n\n"
      "event: payment-receipt\ndata: {\"units\":2}\n\n");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_TRUE(events[0].IsMessage());
  EXPECT_EQ(events[1].type, "payment-need-voucher");
  EXPECT_FALSE(events[1].IsMessage());
  EXPECT_EQ(events[1].data, "{\"channelId\":\"0x01\"}");
  EXPECT_TRUE(events[2].IsMessage());  // a nameless event after a named one is a message again
  EXPECT_EQ(events[3].type, "payment-receipt");
  EXPECT_EQ(events[3].data, "{\"units\":2}");
}

TEST(SseReader, EventWithoutDataIsDropped) {
  auto events = ReadAll("event: ping\n\nid: 3\n\ndata: x\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "message");
  EXPECT_EQ(events[0].id, "3");
}

TEST(SseReader, EmptyDataLineIsAnEventWithEmptyData) {
  auto events = ReadAll("data:\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "");
}

TEST(SseReader, AcceptsCrLfAndCrLineEndings) {
  auto crlf = ReadAll("data: a\r\n\r\ndata: b\r\n\r\n");
  auto cr = ReadAll("data: a\r\rdata: b\r\r");
  auto lf = ReadAll("data: a\n\ndata: b\n\n");
  EXPECT_EQ(lf.size(), 2u);
  EXPECT_TRUE(Same(crlf, lf));
  EXPECT_TRUE(Same(cr, lf));
}

TEST(SseReader, SkipsOneLeadingBom) {
  auto events = ReadAll(
      "\xEF\xBB\xBF"
      "data: a\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a");
  auto split = ReadSplit(
      "\xEF\xBB\xBF"
      "data: a\n\n",
      {1, 2});
  EXPECT_TRUE(Same(split, events));
  // A second BOM is content: it makes the field name "\xEF\xBB\xBFdata", which is unknown.
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF\xEF\xBB\xBF"
                      "data: a\n\n")
                  .empty());
}

TEST(SseReader, PartialBomIsContent) {
  auto events = ReadAll(
      "\xEF\xBB"
      "data: a\n\ndata: b\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "b");
}

TEST(SseReader, DispatchesAnUnterminatedLastEventAtTheEnd) {
  auto events = ReadAll("data: a\n\ndata: [DONE]");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].data, "[DONE]");
  EXPECT_EQ(ReadAll("data: x\n").size(), 1u);
}

TEST(SseReader, CrLfSplitAcrossChunksIsOneLineEnd) {
  auto events = ReadSplit("data: a\r\n\r\ndata: b\r\n\r\n", {8, 10});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "a");
  EXPECT_EQ(events[1].data, "b");
}

TEST(SseReader, PassesUtf8SplitMidCharacter) {
  std::string stream = "data: caf\xC3\xA9 \xF0\x9F\x98\x80\n\n";
  auto events = ReadSplit(stream, {10, 13, 15});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(SseReader, SameEventsWhateverTheChunkBoundaries) {
  std::string stream =
      "\xEF\xBB\xBF: comment\r\nevent: e\r\nid: 1\r\ndata: {\"x\":\"caf\xC3\xA9\"}\r\ndata: two\r\n\r\n"
      "data: lf\n\ndata: cr\r\rretry: 5\ndata: [DONE]\n\n";
  auto whole = ReadAll(stream);
  ASSERT_EQ(whole.size(), 4u);
  std::vector<std::size_t> every_byte;
  for (std::size_t i = 1; i < stream.size(); ++i) every_byte.push_back(i);
  EXPECT_TRUE(Same(ReadSplit(stream, every_byte), whole));
  std::mt19937 random(12345);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < stream.size(); ++i) {
      if (random() % 4 == 0) cuts.push_back(i);
    }
    ASSERT_TRUE(Same(ReadSplit(stream, cuts), whole)) << "round " << round;
  }
}

TEST(SseReader, OverlongLineIsACleanError) {
  SseReader reader(16);
  std::vector<SseEvent> events;
  EXPECT_TRUE(reader.Feed("data: 0123456789", events));
  auto fed = reader.Feed("abc", events);
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(fed.error().message.find("longer than 16"), std::string::npos);
  EXPECT_FALSE(reader.Feed("\n\n", events));  // stays failed
  EXPECT_FALSE(reader.Finish(events));
}

TEST(SseReader, OversizedEventIsACleanError) {
  SseReader reader(64, 20);
  std::vector<SseEvent> events;
  auto fed = reader.Feed("data: 0123456789\ndata: 0123456789\n\n", events);
  ASSERT_FALSE(fed);
  EXPECT_TRUE(events.empty());
}

TEST(SseReader, GarbageInGivesEventsOrCleanErrors) {
  std::mt19937 random(777);
  const char alphabet[] = {'d', 'a', 't', ':', ' ', '\n', '\r', '\0', '\xEF', '\xBB', '\xBF', 'x', '{', '['};
  for (int round = 0; round < 2000; ++round) {
    std::string garbage;
    std::size_t size = random() % 200;
    for (std::size_t i = 0; i < size; ++i) {
      garbage += random() % 3 == 0 ? static_cast<char>(random() % 256) : alphabet[random() % sizeof alphabet];
    }
    SseReader reader(32, 64);
    std::vector<SseEvent> events;
    std::size_t start = 0;
    bool ok = true;
    while (ok && start < garbage.size()) {
      std::size_t piece = 1 + random() % 17;
      ok = static_cast<bool>(reader.Feed(std::string_view(garbage).substr(start, piece), events));
      start += piece;
    }
    if (ok) ok = static_cast<bool>(reader.Finish(events));
    for (const auto& event : events) EXPECT_LE(event.data.size(), 64u);
  }
}

}  // namespace
}  // namespace mpp::net
