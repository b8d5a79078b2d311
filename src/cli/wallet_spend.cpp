// mpp wallet spend: what the journal's settled payments cost over a period, grouped for reports.
#include <ostream>
#include <vector>

#include "cli/wallet_commands.h"
#include "util/message.h"
#include "wallet/history.h"
#include "wallet/journal.h"
#include "wallet/paths.h"
#include "wallet/spend.h"
#include "wallet/spend_render.h"

namespace mpp::cli {
namespace {

Result<std::optional<std::int64_t>> SpendBound(const std::string& flag, const std::string& text,
                                               std::int64_t now, bool until) {
  if (text.empty()) return std::optional<std::int64_t>();
  auto parsed = wallet::ParseSpendTime(text, now, until);
  if (!parsed) {
    return MakeError(ErrorKind::kUsage, flag + " '" + text +
                                            "' is neither a date (YYYY-MM-DD) nor a time back (a number and "
                                            "s, m, h, d or w: 30m, 12h, 1d, 7d)");
  }
  return std::optional<std::int64_t>(*parsed);
}

}  // namespace

Status WalletSpend(const WalletOptions& o, Io& io, const Services& services) {
  const std::int64_t now = services.now();
  auto since = SpendBound("--since", o.since, now, false);
  if (!since) return since.error();
  auto until = SpendBound("--until", o.until, now, true);
  if (!until) return until.error();
  if (*since && *until && **until <= **since) {
    return MakeError(ErrorKind::kUsage, "--until '" + o.until + "' is not after --since '" + o.since +
                                            "'; give a later --until or an earlier --since");
  }
  auto paths = wallet::ResolvePaths(services.env);
  if (!paths) return paths.error();
  wallet::Journal journal(paths->JournalFile(), std::nullopt, services.now);
  auto contents = *since ? journal.ReadSince(**since) : journal.Read();
  if (!contents) return contents.error();
  if (!contents->unreadable_lines.empty()) {
    msg::Warning(std::to_string(contents->unreadable_lines.size()) +
                 " journal line(s) could not be read, first at line " +
                 std::to_string(contents->unreadable_lines.front()) + " of " + journal.file().string());
  }
  // The usage log's records follow the journal's, so each joins the payment it names.
  std::vector<wallet::JournalRecord> records = std::move(contents->records);
  wallet::Journal usage_log(paths->UsageFile(), std::nullopt, services.now);
  auto usage = *since ? usage_log.ReadSince(**since) : usage_log.Read();
  if (!usage) return usage.error();
  for (auto& record : usage->records) {
    if (record.type == wallet::RecordType::kUsage) records.push_back(std::move(record));
  }
  auto payments = wallet::CollectPayments(records, *since);
  wallet::MarkAbandoned(payments, wallet::ProcessAlive);
  const wallet::SpendReport report = wallet::SummarizeSpend(payments, *until);
  const wallet::SpendPeriod period{*since, *until};
  if (o.csv) {
    io.out << wallet::RenderSpendCsv(report);
  } else if (o.json) {
    io.out << wallet::RenderSpendJson(report, period);
  } else {
    io.out << wallet::RenderSpendText(report, period);
  }
  return {};
}

}  // namespace mpp::cli
