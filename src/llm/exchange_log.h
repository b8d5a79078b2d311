// Reading the conversation log across conversations, for `mpp logs`: the newest exchanges, those of one
// conversation, or those holding a word, without a second store.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "llm/conversation.h"
#include "util/error.h"

namespace mpp::llm {

// One exchange and the conversation it belongs to.
struct LoggedExchange {
  std::string conversation_id;
  ExchangeRecord record;
};

struct ExchangeQuery {
  std::string conversation_id;  // only this conversation; empty: all of them
  std::string text;             // only exchanges holding this text (MatchesText); empty: all
  std::size_t limit = 20;       // the most exchanges returned
};

// What a search found, and what it had to pass over.
struct ExchangeSearch {
  std::vector<LoggedExchange> exchanges;  // newest first
  std::size_t damaged_lines = 0;          // lines that are not exchange records, skipped
  std::size_t unreadable_files = 0;       // conversation files that could not be read, skipped
  bool truncated = false;  // more conversations than kMaxSearchedConversations were left unread
};

// The most conversation files one search reads, newest first.
inline constexpr std::size_t kMaxSearchedConversations = 10'000;

// Whether `text` occurs in any message of `record` or in its response, ignoring the case of ASCII
// letters. An empty `text` matches every record.
bool MatchesText(const ExchangeRecord& record, std::string_view text);

// Keeps the newest `limit` of `exchanges` (by time, then by position: later in `exchanges` is newer
// for equal times), newest first. Pure; the order of equal-time exchanges from different conversations
// follows their position.
std::vector<LoggedExchange> NewestFirst(std::vector<LoggedExchange> exchanges, std::size_t limit);

// The newest `query.limit` exchanges matching `query`, newest first. Files are read newest first and
// the search stops once no older file can hold a newer match. A missing `dir` finds nothing. Errors:
// kUsage for an invalid or unknown `query.conversation_id`; kUnexpected when `dir` cannot be listed or
// that one conversation's file cannot be read.
Result<ExchangeSearch> FindExchanges(const std::filesystem::path& dir, const ExchangeQuery& query);

}  // namespace mpp::llm
