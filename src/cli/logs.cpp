#include "cli/logs.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <limits>
#include <memory>

#include "cli/chat_conversation.h"
#include "cli/logs_render.h"
#include "cli/output_sink.h"
#include "llm/exchange_log.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

constexpr std::size_t kListedExchanges = 20;
constexpr int kMaxCount = 100'000;

struct LogsOptions {
  int count = 0;  // -n; 0: the default (20, or the whole conversation with --cid)
  bool last = false;
  std::string cid;
  std::string query;
  bool json = false;
};

std::size_t LogsLimit(const LogsOptions& o) {
  if (o.count > 0) return static_cast<std::size_t>(o.count);
  if (o.last) return 1;
  if (!o.cid.empty()) return std::numeric_limits<std::size_t>::max();
  return kListedExchanges;
}

// Why nothing was found, naming the filters.
std::string NothingFound(const LogsOptions& o) {
  std::string where = o.cid.empty() ? "" : " in conversation " + o.cid;
  if (!o.query.empty()) return "no logged exchange" + where + " matches '" + DisplayText(o.query, 80) + "'";
  if (!o.cid.empty()) return "conversation " + o.cid + " has no exchange logged";
  return "no exchange logged yet ('mpp chat' logs each answer unless --no-log)";
}

void NoteSkipped(const llm::ExchangeSearch& search) {
  if (search.damaged_lines > 0)
    msg::Warning("skipped " + std::to_string(search.damaged_lines) +
                 " damaged line(s) of the conversation log");
  if (search.unreadable_files > 0)
    msg::Warning("skipped " + std::to_string(search.unreadable_files) + " unreadable conversation file(s)");
  if (search.truncated)
    msg::Warning("searched only the " + std::to_string(llm::kMaxSearchedConversations) +
                 " most recent conversations");
}

Status Run(const LogsOptions& o, Io& io, const Services& services) {
  auto dir = ConversationsDir(services.env);
  if (!dir) return dir.error();
  auto search = llm::FindExchanges(*dir, {o.cid, o.query, LogsLimit(o)});
  if (!search) return search.error();
  NoteSkipped(*search);
  std::vector<llm::LoggedExchange>& found = search->exchanges;
  if (found.empty() && o.last) return MakeError(ErrorKind::kUsage, NothingFound(o));
  if (found.empty() && !o.json) {
    msg::Info(NothingFound(o));
    return {};
  }
  // A conversation reads in order, as it was held; a listing is newest first.
  if (!o.cid.empty()) std::reverse(found.begin(), found.end());
  std::string text;
  if (o.last) {
    text = AnswerOutput(found.back().record);
  } else if (o.json) {
    text = ExchangesJson(found);
  } else if (!o.cid.empty()) {
    text = RenderTranscript(found);
  } else {
    text = RenderExchangeList(found);
  }
  OutputSink out(io.out);
  out.Write(text);
  if (!out.failure().empty()) return MakeError(ErrorKind::kUnexpected, out.failure());
  return {};
}

}  // namespace

Action SetupLogs(CLI::App& sub) {
  auto options = std::make_shared<LogsOptions>();
  auto* count = sub.add_option("-n,--count", options->count,
                               "Show the N newest exchanges (default 20; with --cid, the whole conversation)")
                    ->check(CLI::Range(1, kMaxCount));
  auto* last = sub.add_flag("-r,--last", options->last,
                            "Print the last answer's text (of --cid's conversation, or matching -q) and "
                            "nothing else");
  sub.add_option("--cid", options->cid, "Show conversation ID, oldest exchange first");
  sub.add_option("-q,--query", options->query,
                 "Only exchanges whose prompts or answer hold TEXT (ASCII letters match either case)")
      ->check([](const std::string& text) { return text.empty() ? std::string("must not be empty") : ""; });
  auto* json = sub.add_flag("--json", options->json,
                            "Write a JSON array of the records as logged, with \"conversation_id\"");
  last->excludes(count)->excludes(json);
  sub.footer(
      "Reads the conversation log under <data dir>/conversations; nothing is sent or paid. The list is\n"
      "newest first: time (UTC), service, model, paid (token units, or \"free\"), conversation id and the\n"
      "prompt's first line. --cid shows a conversation in the order it was held.\n"
      "\n"
      "Examples:\n"
      "  mpp logs -r\n"
      "  mpp logs -q tempo -n 5\n"
      "  mpp logs --cid 20261204-012345-0a1b2c3d\n"
      "  mpp logs --json | jq -r '.[0].response'");
  return [options](Io& io, const Services& services) -> Status { return Run(*options, io, services); };
}

}  // namespace mpp::cli
