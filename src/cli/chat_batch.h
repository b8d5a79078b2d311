// `mpp chat --batch FILE`: one call per JSONL line, N at a time, results as JSONL in input order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cli/command_services.h"
#include "cli/output_sink.h"
#include "cli/payment_options.h"
#include "llm/request.h"
#include "llm/services.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::cli {

inline constexpr int kMaxJobs = 64;
inline constexpr int kDefaultMaxFailures = 3;

struct BatchJob {
  llm::Service service;
  llm::ChatParams params;  // the flags every line shares; a line's prompt or request fills in the rest
  PaymentSettings settings;
  int jobs = 1;           // concurrent calls, 1..kMaxJobs
  bool progress = false;  // draw the bar on stderr
  // Stop paying after this many answers in a row that were paid but refused or not delivered
  // (kPaymentRefusedByServer); 0: never stop.
  int max_failures = kDefaultMaxFailures;
  // A line whose request body is larger is refused (kUsage) before it is sent (--max-input).
  std::size_t max_input = std::size_t{1} << 20;
  std::string template_name;  // -t, journaled with each line's payment (empty: none)
  // --budget: the most the whole batch may commit (amounts plus fee bounds, base units), as the user
  // wrote it; nullopt: no batch budget.
  std::optional<U256> budget;
  std::string budget_text;
};

// Runs every non-blank line of `input` and writes one result line per input line to `out`, in input
// order, each as soon as all before it are written. Every worker owns its own PayContext (transport and
// flow); they share one cached signing key, and the journal's lock makes the daily budget hold across
// them. A failed line does not stop the others, except that after `max_failures` results in a row
// that were paid and then refused or not delivered, no further line is started: each remaining line
// is written as skipped, with the reason, and the result is kPaymentRefusedByServer (exit 4).
// Otherwise returns ok when every line succeeded, else the first failed line's error kind with a
// count; kUsage when the input holds no lines, with --dump-credential (it holds one credential), or
// with --confirm (nobody is asked during a batch: a config confirm_above refuses each line above it).
// With a `budget`, every payment reserves its amount plus the most its fee can be before it leaves
// (BatchBudget, shared by the workers), so the batch never commits more; the first line that does not
// fit is not paid and no further line starts: each is written as skipped and the result is
// kPaymentRefusedLocally (exit 5), unless --max-failures stopped the batch first.
// Every worker's transports, the environment and the clock come from `services`.
Status RunBatch(const BatchJob& job, std::string_view input, OutputSink& out, const Services& services);

}  // namespace mpp::cli
