#include "wallet/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

#include "util/message.h"
#include "util/random.h"
#include "util/utc_time.h"
#include "wallet/file_lock.h"
#include "wallet/files.h"
#include "wallet/paths.h"

namespace mpp::wallet {

namespace fs = std::filesystem;

namespace {

// The whole file behind `fd`, read from offset 0 whatever the file offset (O_APPEND descriptors too).
Result<std::string> ReadWhole(int fd, const fs::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return SystemError("cannot stat", path, errno);
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > kMaxJournalBytes) {
    return MakeError(ErrorKind::kWallet, "the payment journal " + path.string() + " is larger than " +
                                             std::to_string(kMaxJournalBytes >> 20) +
                                             " MiB; move it aside (mpp then starts a new one)");
  }
  std::string content(size, '\0');
  std::size_t used = 0;
  while (used < size) {
    const ssize_t got = ::pread(fd, content.data() + used, size - used, static_cast<off_t>(used));
    if (got < 0) {
      if (errno == EINTR) continue;
      return SystemError("cannot read", path, errno);
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  content.resize(used);
  return content;
}

// The `latest` of the first signed record in `lines` that has one: no record before it was stamped
// later. Only a line holding the key is parsed (inside a JSON string the quote before a colon would
// be escaped, so `"latest":` is always a key).
std::optional<std::int64_t> FirstLatest(std::string_view lines) {
  for (std::size_t at = lines.find("\"latest\":"); at != std::string_view::npos;) {
    const std::size_t begin = lines.rfind('\n', at) == std::string_view::npos ? 0 : lines.rfind('\n', at) + 1;
    const std::size_t end = lines.find('\n', at);
    const auto record =
        ParseJournalLine(lines.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (record && record->type == RecordType::kSigned && record->latest) return record->latest;
    if (end == std::string_view::npos) break;
    at = lines.find("\"latest\":", end);
  }
  return std::nullopt;
}

// The tail of the journal behind `fd` that holds every record that could count at or after `since`,
// starting at a line boundary: read backwards in growing chunks until one holds a signed record whose
// `latest` is older than `since` (nothing before it can matter, however the clock stepped), or the
// start is reached. A long-lived journal costs no more per payment than its recent days; one written
// by a version without `latest` is read whole.
Result<std::string> ReadTailSince(int fd, const fs::path& path, std::int64_t since) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return SystemError("cannot stat", path, errno);
  const auto size = static_cast<std::size_t>(st.st_size);
  for (std::size_t want = std::size_t{64} << 10;; want *= 4) {
    if (want >= size) return ReadWhole(fd, path);
    std::string chunk(want, '\0');
    const off_t start = static_cast<off_t>(size - want);
    std::size_t used = 0;
    while (used < want) {
      const ssize_t got = ::pread(fd, chunk.data() + used, want - used, start + static_cast<off_t>(used));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return SystemError("cannot read", path, errno);
      if (got == 0) break;
      used += static_cast<std::size_t>(got);
    }
    chunk.resize(used);
    const std::size_t first_line = chunk.find('\n');
    if (first_line == std::string::npos) continue;  // one line longer than the chunk: read more
    chunk.erase(0, first_line + 1);                 // the partial line the chunk starts inside
    if (const auto latest = FirstLatest(chunk); latest && *latest < since) return chunk;
  }
}

// The longest run of `id` that any JSON encoder writes unchanged (printable ASCII other than the
// quote, the backslash and the slash): every line that holds the id, however escaped, contains it.
std::string_view UnescapedRun(std::string_view id) {
  std::string_view best;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= id.size(); ++i) {
    const auto c = i < id.size() ? static_cast<unsigned char>(id[i]) : 0;
    const bool plain = i < id.size() && c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/';
    if (plain) continue;
    if (i - start > best.size()) best = id.substr(start, i - start);
    start = i + 1;
  }
  return best;
}

// Whether `content` (journal lines) holds a payment already signed for this realm's challenge id,
// compared as decoded strings (an id may hold quotes and backslashes, which the journal escapes).
// Only lines containing the id's longest unescaped run are parsed, so a busy day's journal costs a
// substring search.
bool AlreadySigned(std::string_view content, const protocol::PaymentRecord& payment) {
  if (payment.challenge_id.empty()) return false;  // the challenge parser never yields one
  const std::string_view needle = UnescapedRun(payment.challenge_id);  // may be empty: every line
  for (std::size_t at = content.find(needle); at != std::string_view::npos;) {
    const std::size_t begin =
        content.rfind('\n', at) == std::string_view::npos ? 0 : content.rfind('\n', at) + 1;
    const std::size_t end = content.find('\n', at);
    const auto record =
        ParseJournalLine(content.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (record && record->type == RecordType::kSigned && record->challenge_id == payment.challenge_id &&
        record->realm == payment.realm) {
      return true;
    }
    if (end == std::string_view::npos) break;
    at = content.find(needle, end + 1);
  }
  return false;
}

// The `latest` for a record written now after `content` (the journal's tail from ReadTailSince, which
// begins at a record whose `latest` covers everything before it).
std::int64_t LatestAfter(std::string_view content, std::int64_t now) {
  std::int64_t latest = now;
  for (const JournalRecord& record : ParseJournal(content).records) {
    latest = std::max({latest, record.time, record.latest.value_or(record.time)});
  }
  return latest;
}

// How far back RecordSigned looks: the budget's window, which also outlives any challenge mpp pays
// (servers give minutes), so a challenge id paid before is always found.
constexpr std::int64_t kLookBackSeconds = kBudgetWindowSeconds + 3600;

}  // namespace

JournalContents ParseJournal(std::string_view content) {
  JournalContents parsed;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < content.size()) {
    const std::size_t newline = content.find('\n', pos);
    const bool complete = newline != std::string_view::npos;
    const std::string_view line = content.substr(pos, complete ? newline - pos : std::string_view::npos);
    pos = complete ? newline + 1 : content.size();
    ++line_number;
    if (line.empty()) continue;
    if (auto record = ParseJournalLine(line)) {
      parsed.records.push_back(std::move(*record));
    } else if (!complete) {
      parsed.torn_tail = true;
    } else {
      parsed.unreadable_lines.push_back(line_number);
    }
  }
  return parsed;
}

Journal::Journal(fs::path file, std::optional<DailyBudget> budget, Clock clock)
    : file_(std::move(file)), budget_(budget), clock_(clock ? std::move(clock) : Clock(UnixNow)) {}

Status Journal::AppendLocked(int fd, std::string line) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return SystemError("cannot stat", file_, errno);
  if (st.st_size > 0) {
    char last = '\n';
    if (::pread(fd, &last, 1, st.st_size - 1) != 1) return SystemError("cannot read", file_, errno);
    if (last != '\n') line.insert(line.begin(), '\n');  // end the torn line a crash left behind
  }
  if (auto written = WriteAll(fd, line, file_); !written) return written;
  if (::fsync(fd) != 0) return SystemError("cannot fsync", file_, errno);
  // A new journal's directory entry must be durable too.
  if (st.st_size == 0) return FsyncDirectory(file_.parent_path());
  return {};
}

Result<FileLock> Journal::LockForAppend() const {
  if (auto dir = EnsurePrivateDirectory(file_.parent_path()); !dir) return dir.error();
  auto fd = OpenFile(file_, O_RDWR | O_CREAT | O_APPEND, 0600);
  if (!fd) return fd.error();
  return FileLock::Acquire(std::move(*fd), LockMode::kExclusive, file_);
}

Result<std::string> Journal::RecordSigned(const protocol::PaymentRecord& payment) {
  // Held from the budget check through the fsync of the new record: the check and the spending it
  // allows are one step for every process sharing this journal.
  auto lock = LockForAppend();
  if (!lock) return lock.error();
  const std::int64_t now = clock_();  // after the wait for the lock, so records stay in time order
  auto recent = ReadTailSince(lock->fd(), file_, now - kLookBackSeconds);
  if (!recent) return recent.error();
  if (AlreadySigned(*recent, payment)) {
    return MakeError(ErrorKind::kChallengeAlreadyPaid, "challenge " + payment.challenge_id + " of " +
                                                           payment.realm + " is already paid (journal " +
                                                           file_.string() + ")");
  }
  if (budget_) {
    const U256 spent = SpentInWindow(ParseJournal(*recent).records, now, budget_->chain_id);
    const U256 cost = U256::SaturatingAdd(payment.amount, payment.fee);
    if (auto within = CheckDailyBudget(*budget_, spent, cost); !within) return within.error();
  }
  std::string id = RandomUuid();
  JournalRecord record = MakeSignedRecord(payment, id, now);
  record.latest = LatestAfter(*recent, now);
  record.model = tags_.model;
  record.conversation = tags_.conversation;
  record.template_name = tags_.template_name;
  if (auto appended = AppendLocked(lock->fd(), EncodeJournalLine(record)); !appended) return appended.error();
  return id;
}

Status Journal::RecordIncrement(const std::string& id, const protocol::PaymentIncrement& increment) {
  auto lock = LockForAppend();
  if (!lock) return lock.error();
  const std::int64_t now = clock_();
  auto recent = ReadTailSince(lock->fd(), file_, now - kLookBackSeconds);
  if (!recent) return recent.error();
  const JournalContents contents = ParseJournal(*recent);
  bool known = false;
  for (const JournalRecord& r : contents.records)
    known = known || (r.type == RecordType::kSigned && r.payment_id == id);
  if (!known) {
    return MakeError(ErrorKind::kWallet, "the journal " + file_.string() + " has no payment " + id +
                                             " to add a voucher to; nothing more was signed");
  }
  if (budget_) {
    const U256 spent = SpentInWindow(contents.records, now, budget_->chain_id);
    const U256 cost = U256::SaturatingAdd(increment.amount, increment.fee);
    if (auto within = CheckDailyBudget(*budget_, spent, cost); !within) return within.error();
  }
  return AppendLocked(lock->fd(), EncodeJournalLine(MakeIncrementRecord(increment, id, now)));
}

Status Journal::Append(const JournalRecord& record) {
  auto lock = LockForAppend();
  if (!lock) return lock.error();
  return AppendLocked(lock->fd(), EncodeJournalLine(record));
}

void Journal::AppendOutcome(JournalRecord record) {
  record.time = clock_();
  record.pid = ::getpid();
  if (auto appended = Append(record); !appended) {
    msg::Warning("could not record that payment " + record.payment_id + " was " +
                 std::string(RecordTypeName(record.type)) + ": " + appended.error().message);
  }
}

void Journal::RecordSettled(const std::string& id, std::string_view receipt_reference) {
  RecordSettledWithNote(id, receipt_reference, /*from_receipt=*/true, std::nullopt, {});
}

void Journal::RecordSettledWithFee(const std::string& id, std::string_view receipt_reference,
                                   const U256& fee_paid) {
  RecordSettledWithNote(id, receipt_reference, /*from_receipt=*/true, fee_paid, {});
}

void Journal::RecordSettledWithoutReceipt(const std::string& id, std::string_view tx_hash) {
  RecordSettledWithNote(id, tx_hash, /*from_receipt=*/false, std::nullopt, {});
}

void Journal::RecordSettledWithNote(const std::string& id, std::string_view reference, bool from_receipt,
                                    const std::optional<U256>& fee_paid, std::string_view note) {
  JournalRecord record;
  record.type = RecordType::kSettled;
  record.payment_id = id;
  record.reference = std::string(reference);
  record.reference_source = from_receipt ? "receipt" : reference.empty() ? "unknown" : "signed transaction";
  record.fee_paid = fee_paid;
  record.note = std::string(note);
  AppendOutcome(std::move(record));
}

void Journal::RecordUndelivered(const std::string& id, const protocol::UndeliveredOutcome& outcome) {
  JournalRecord record;
  record.type = RecordType::kUndelivered;
  record.payment_id = id;
  record.status = outcome.status;
  record.error = outcome.error;
  record.service_payment_id = outcome.service_payment_id;
  record.reference = outcome.reference;
  record.note = outcome.note;
  AppendOutcome(std::move(record));
}

Status Journal::RecordUsage(const std::string& id, const TokenUsage& usage) {
  return Append(MakeUsageRecord(usage, id, clock_()));
}

Status Journal::RecordLost(const std::string& id, std::string_view reason) {
  JournalRecord record;
  record.type = RecordType::kLost;
  record.payment_id = id;
  record.reason = std::string(reason);
  record.time = clock_();
  record.pid = ::getpid();
  return Append(record);
}

void Journal::RecordRefused(const std::string& id, std::string_view problem) {
  JournalRecord record;
  record.type = RecordType::kRefused;
  record.payment_id = id;
  record.problem = std::string(problem);
  AppendOutcome(std::move(record));
}

void Journal::RecordUnknown(const std::string& id, std::string_view reason) {
  JournalRecord record;
  record.type = RecordType::kUnknown;
  record.payment_id = id;
  record.reason = std::string(reason);
  AppendOutcome(std::move(record));
}

Result<JournalContents> Journal::Read() const {
  std::error_code ec;
  if (!fs::exists(file_, ec)) {
    if (ec) return MakeError(ErrorKind::kWallet, "cannot inspect " + file_.string() + ": " + ec.message());
    return JournalContents{};
  }
  auto fd = OpenFile(file_, O_RDONLY);
  if (!fd) return fd.error();
  auto lock = FileLock::Acquire(std::move(*fd), LockMode::kShared, file_);
  if (!lock) return lock.error();
  auto content = ReadWhole(lock->fd(), file_);
  if (!content) return content.error();
  return ParseJournal(*content);
}

Result<JournalContents> Journal::ReadSince(std::int64_t since) const {
  std::error_code ec;
  if (!fs::exists(file_, ec)) {
    if (ec) return MakeError(ErrorKind::kWallet, "cannot inspect " + file_.string() + ": " + ec.message());
    return JournalContents{};
  }
  auto fd = OpenFile(file_, O_RDONLY);
  if (!fd) return fd.error();
  auto lock = FileLock::Acquire(std::move(*fd), LockMode::kShared, file_);
  if (!lock) return lock.error();
  auto content = ReadTailSince(lock->fd(), file_, since);
  if (!content) return content.error();
  return ParseJournal(*content);
}

}  // namespace mpp::wallet
