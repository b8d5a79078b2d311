// The local conversation log: one JSONL file per conversation, one line per exchange, so that
// -c/--continue and --cid can replay the history and `mpp chat --list` can show recent ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/chat_message.h"
#include "llm/completion.h"
#include "util/error.h"

namespace mpp::llm {

// One request and its answer.
struct ExchangeRecord {
  std::int64_t unix_time = 0;
  std::string service;
  std::string model;
  std::vector<Message> messages;  // what this turn added (ChatRequest::new_messages)
  std::string response;           // the assistant's text
  std::optional<Usage> usage;
  std::string paid;             // token units ("0.001"); empty when nothing was paid
  std::string tx;               // transaction hash; empty when none
  std::string url;              // the chat endpoint called; empty in records written before it was kept
  std::string requested_model;  // the model asked for (-m, or the service's default); may be empty
};

struct ConversationSummary {
  std::string id;
  std::int64_t updated = 0;  // unix time of the last exchange
  std::string preview;       // the first user message, one display-safe line of at most ~60 bytes
  std::size_t turns = 0;     // exchanges logged
};

// A conversation's log file, as found in the log directory.
struct ConversationFile {
  std::string id;
  std::filesystem::file_time_type modified;  // when its last exchange was appended
};

// A fresh id: UTC "YYYYMMDD-HHMMSS-" and 8 random hex digits, so ids sort by creation time.
std::string NewConversationId(std::int64_t unix_time);

// Whether `id` is safe as a file name: 1 to 64 of [A-Za-z0-9_-].
bool IsValidConversationId(std::string_view id);

// Appends `record` as one line to <dir>/<id>.jsonl with a single write, creating `dir` (0700) and the
// file (0600) when needed. Errors: kUsage for an invalid id, kUnexpected for I/O (naming the path).
Status AppendExchange(const std::filesystem::path& dir, std::string_view id, const ExchangeRecord& record);

// The conversation written to last (by file modification time), or nullopt when there is none.
Result<std::optional<std::string>> LastConversationId(const std::filesystem::path& dir);

// The messages of conversation `id`, replayed in order: each exchange's messages then its answer as an
// assistant message; a system message leading an exchange replaces (or becomes) the first message.
// Errors: kUsage for an invalid or unknown id; kUnexpected for I/O or a damaged line other than a torn
// last line (which is skipped).
Result<std::vector<Message>> LoadHistory(const std::filesystem::path& dir, std::string_view id);

// The last exchange logged in conversation `id` (nullopt for a conversation with none). Errors as
// LoadHistory.
Result<std::optional<ExchangeRecord>> LastExchange(const std::filesystem::path& dir, std::string_view id);

// Every conversation file in `dir`, most recently modified first (ties: the larger id). A missing `dir`
// is an empty list; names that are not <valid id>.jsonl regular files are left out.
Result<std::vector<ConversationFile>> ConversationFiles(const std::filesystem::path& dir);

// Every exchange logged in conversation `id`, in order. Damaged lines are skipped and counted in
// `skipped` (a torn last line is skipped without counting). Errors: kUsage for an invalid or unknown id;
// kUnexpected for I/O or a file past 64 MiB.
Result<std::vector<ExchangeRecord>> ReadExchanges(const std::filesystem::path& dir, std::string_view id,
                                                  std::size_t& skipped);

// At most `limit` conversations, most recently updated first. A missing `dir` is an empty list;
// unreadable or damaged files are skipped.
Result<std::vector<ConversationSummary>> ListConversations(const std::filesystem::path& dir,
                                                           std::size_t limit);

}  // namespace mpp::llm
