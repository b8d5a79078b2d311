#include "llm/exchange_log.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <utility>

namespace mpp::llm {
namespace {

namespace fs = std::filesystem;

char LowerAsciiChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  auto found = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                           [](char a, char b) { return LowerAsciiChar(a) == LowerAsciiChar(b); });
  return found != haystack.end();
}

// The file's modification time in whole Unix seconds (rounded down, as the records' times are).
std::int64_t UnixSeconds(fs::file_time_type time) {
  auto system = std::chrono::file_clock::to_sys(time);
  return std::chrono::floor<std::chrono::seconds>(system).time_since_epoch().count();
}

std::vector<LoggedExchange> Matching(const std::string& id, std::vector<ExchangeRecord>& records,
                                     std::string_view text) {
  std::vector<LoggedExchange> found;
  for (auto& record : records) {
    if (MatchesText(record, text)) found.push_back({id, std::move(record)});
  }
  return found;
}

}  // namespace

bool MatchesText(const ExchangeRecord& record, std::string_view text) {
  if (text.empty()) return true;
  if (ContainsIgnoringCase(record.response, text)) return true;
  return std::any_of(record.messages.begin(), record.messages.end(),
                     [text](const Message& message) { return ContainsIgnoringCase(message.content, text); });
}

std::vector<LoggedExchange> NewestFirst(std::vector<LoggedExchange> exchanges, std::size_t limit) {
  std::vector<std::size_t> order(exchanges.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&exchanges](std::size_t a, std::size_t b) {
    if (exchanges[a].record.unix_time != exchanges[b].record.unix_time)
      return exchanges[a].record.unix_time > exchanges[b].record.unix_time;
    return a > b;
  });
  std::vector<LoggedExchange> newest;
  newest.reserve(std::min(limit, order.size()));
  for (std::size_t i = 0; i < order.size() && newest.size() < limit; ++i) {
    newest.push_back(std::move(exchanges[order[i]]));
  }
  return newest;
}

Result<ExchangeSearch> FindExchanges(const fs::path& dir, const ExchangeQuery& query) {
  ExchangeSearch search;
  if (!query.conversation_id.empty()) {
    auto records = ReadExchanges(dir, query.conversation_id, search.damaged_lines);
    if (!records) return records.error();
    search.exchanges = NewestFirst(Matching(query.conversation_id, *records, query.text), query.limit);
    return search;
  }
  auto files = ConversationFiles(dir);
  if (!files) return files.error();
  for (std::size_t i = 0; i < files->size() && query.limit > 0; ++i) {
    const ConversationFile& file = (*files)[i];
    // Every record of an older file is at most as new as the file: none can displace what was kept.
    if (search.exchanges.size() >= query.limit &&
        UnixSeconds(file.modified) < search.exchanges.back().record.unix_time) {
      break;
    }
    if (i == kMaxSearchedConversations) {
      search.truncated = true;
      break;
    }
    std::size_t skipped = 0;
    auto records = ReadExchanges(dir, file.id, skipped);
    if (!records) {
      ++search.unreadable_files;
      continue;
    }
    search.damaged_lines += skipped;
    // This file was written to before every file read so far: its exchanges go first, as the older
    // ones on equal times.
    std::vector<LoggedExchange> candidates = Matching(file.id, *records, query.text);
    if (candidates.empty()) continue;
    std::move(search.exchanges.rbegin(), search.exchanges.rend(), std::back_inserter(candidates));
    search.exchanges = NewestFirst(std::move(candidates), query.limit);
  }
  return search;
}

}  // namespace mpp::llm
