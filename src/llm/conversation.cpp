#include "llm/conversation.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <system_error>
#include <utility>

#include "llm/conversation_record.h"
#include "util/files.h"
#include "util/hex.h"
#include "util/random.h"
#include "util/text.h"
#include "util/utc_time.h"

namespace mpp::llm {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFileBytes = 64 * 1024 * 1024;
constexpr std::size_t kPreviewBytes = 60;
constexpr std::string_view kSuffix = ".jsonl";

Error IoError(std::string_view what, const fs::path& path, int errno_value) {
  return files::SystemError(ErrorKind::kUnexpected, what, path, errno_value);
}

Status EnsurePrivateDirectory(const fs::path& dir) {
  std::error_code ec;
  if (dir.has_parent_path()) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return IoError("cannot create", dir.parent_path(), ec.value());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return IoError("cannot create", dir, errno);
  return {};
}

fs::path FileOf(const fs::path& dir, std::string_view id) {
  return dir / (std::string(id) + std::string(kSuffix));
}

// The records of a log file. A last line without its '\n' is a torn append and is skipped. A damaged line
// is refused, or skipped and counted in `*skipped` when `skipped` is given.
Result<std::vector<ExchangeRecord>> ReadRecords(const fs::path& path, std::size_t* skipped = nullptr) {
  auto text = files::ReadCapped(path, kMaxFileBytes, ErrorKind::kUnexpected, O_NOFOLLOW);
  if (!text) return text.error();
  std::vector<ExchangeRecord> records;
  std::string_view rest = *text;
  std::size_t line_number = 0;
  while (!rest.empty()) {
    std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) break;
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto record = ParseExchangeLine(line);
    if (!record && skipped != nullptr) {
      ++*skipped;
      continue;
    }
    if (!record) {
      return MakeError(ErrorKind::kUnexpected,
                       path.string() + ":" + std::to_string(line_number) + ": " + record.error().message);
    }
    records.push_back(std::move(*record));
  }
  return records;
}

std::string Preview(const std::vector<ExchangeRecord>& records) {
  for (const auto& record : records) {
    for (const auto& message : record.messages) {
      if (message.role != "user") continue;
      std::string line = message.content;
      std::replace_if(
          line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
      return DisplayText(line, kPreviewBytes);
    }
  }
  return {};
}

// The log file of conversation `id`; kUsage for an invalid id or one with no file (`where_listed`
// says where the user finds the ids).
Result<fs::path> ExistingFile(const fs::path& dir, std::string_view id, std::string_view where_listed) {
  if (!IsValidConversationId(id)) {
    return MakeError(ErrorKind::kUsage, "invalid conversation id '" + DisplayText(id, 80) + "'");
  }
  fs::path path = FileOf(dir, id);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return MakeError(ErrorKind::kUsage,
                     "no conversation '" + std::string(id) + "'; " + std::string(where_listed));
  }
  return path;
}

}  // namespace

Result<std::vector<ConversationFile>> ConversationFiles(const fs::path& dir) {
  std::vector<ConversationFile> files;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return files;
  fs::directory_iterator it(dir, ec);
  if (ec) return IoError("cannot list", dir, ec.value());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return IoError("cannot list", dir, ec.value());
    const fs::path& path = it->path();
    std::string name = path.filename().string();
    if (!name.ends_with(kSuffix)) continue;
    std::string id = name.substr(0, name.size() - kSuffix.size());
    std::error_code file_ec;
    if (!IsValidConversationId(id) || !it->is_regular_file(file_ec)) continue;
    auto modified = it->last_write_time(file_ec);
    if (file_ec) continue;
    files.push_back({std::move(id), modified});
  }
  std::sort(files.begin(), files.end(), [](const ConversationFile& a, const ConversationFile& b) {
    if (a.modified != b.modified) return a.modified > b.modified;
    return a.id > b.id;
  });
  return files;
}

std::string NewConversationId(std::int64_t unix_time) {
  std::string stamp = FormatUtcTimestamp(unix_time);  // 2025-11-22T01:51:00Z
  std::string id;
  for (char c : stamp) {
    if (c >= '0' && c <= '9') id += c;
    if (c == 'T') id += '-';
  }
  return id + '-' + ToHex(RandomBytes(4), /*prefix=*/false);
}

bool IsValidConversationId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Status AppendExchange(const fs::path& dir, std::string_view id, const ExchangeRecord& record) {
  if (!IsValidConversationId(id)) {
    return MakeError(ErrorKind::kUsage, "invalid conversation id '" + DisplayText(id, 80) + "'");
  }
  if (auto made = EnsurePrivateDirectory(dir); !made) return made;
  fs::path path = FileOf(dir, id);
  auto fd = files::Open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600, ErrorKind::kUnexpected);
  if (!fd) return fd.error();
  // One write for the whole line, so concurrent appenders (batch workers, two shells) never interleave.
  if (auto written = files::WriteAll(fd->get(), FormatExchangeLine(record), path, ErrorKind::kUnexpected);
      !written) {
    return written;
  }
  return {};
}

Result<std::optional<std::string>> LastConversationId(const fs::path& dir) {
  auto files = ConversationFiles(dir);
  if (!files) return files.error();
  if (files->empty()) return std::optional<std::string>();
  return std::optional<std::string>(files->front().id);
}

Result<std::vector<Message>> LoadHistory(const fs::path& dir, std::string_view id) {
  auto path = ExistingFile(dir, id, "'mpp chat --list' shows the recent ones");
  if (!path) return path.error();
  auto records = ReadRecords(*path);
  if (!records) return records.error();
  std::vector<Message> history;
  for (auto& record : *records) {
    auto first = record.messages.begin();
    if (first != record.messages.end() && first->role == "system" && !history.empty()) {
      if (history.front().role == "system") {
        history.front() = std::move(*first);
      } else {
        history.insert(history.begin(), std::move(*first));
      }
      ++first;
    }
    history.insert(history.end(), std::make_move_iterator(first),
                   std::make_move_iterator(record.messages.end()));
    history.push_back(TextMessage("assistant", std::move(record.response)));
  }
  return history;
}

Result<std::optional<ExchangeRecord>> LastExchange(const fs::path& dir, std::string_view id) {
  auto path = ExistingFile(dir, id, "'mpp chat --list' shows the recent ones");
  if (!path) return path.error();
  auto records = ReadRecords(*path);
  if (!records) return records.error();
  if (records->empty()) return std::optional<ExchangeRecord>();
  return std::optional<ExchangeRecord>(std::move(records->back()));
}

Result<std::vector<ExchangeRecord>> ReadExchanges(const fs::path& dir, std::string_view id,
                                                  std::size_t& skipped) {
  auto path = ExistingFile(dir, id, "'mpp logs' lists the recent exchanges");
  if (!path) return path.error();
  return ReadRecords(*path, &skipped);
}

Result<std::vector<ConversationSummary>> ListConversations(const fs::path& dir, std::size_t limit) {
  auto files = ConversationFiles(dir);
  if (!files) return files.error();
  std::vector<ConversationSummary> summaries;
  for (const auto& file : *files) {
    if (summaries.size() >= limit) break;
    auto records = ReadRecords(FileOf(dir, file.id));
    if (!records || records->empty()) continue;
    summaries.push_back({file.id, records->back().unix_time, Preview(*records), records->size()});
  }
  return summaries;
}

}  // namespace mpp::llm
