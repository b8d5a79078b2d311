// `mpp quote --batch FILE`: the price of every line of a chat batch file before anything is paid,
// with the total, the worst case with network fees, and whether the daily budget would allow it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "cli/command_services.h"
#include "cli/payment_options.h"
#include "cli/request_flags.h"
#include "llm/request.h"
#include "llm/services.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::cli {

// One batch line's quote: its price and fee bound, or why it has none.
struct BatchQuoteLine {
  std::size_t index = 0;        // as chat --batch numbers its result lines, from 0
  std::size_t line_number = 0;  // in the input, from 1
  std::optional<Error> error;   // no price: not counted in the totals
  bool free = false;            // the service answered without a 402
  U256 amount;                  // the chosen challenge's price, base units
  U256 fee_max;                 // the most its network fee can be (0 when the service pays it)
  std::string currency;         // the token's address (checksummed); empty when free
  std::string token;            // its symbol when known, else empty
  std::string model;            // the model the request names, or empty
  std::string refusal;          // non-empty: mpp would not pay it as things stand (cap, balance, budget)
};

// The totals of a batch quote, over the lines that have a price.
struct BatchQuoteSummary {
  std::size_t lines = 0;
  std::size_t quoted = 0;
  std::size_t failed = 0;
  std::size_t probes = 0;  // distinct requests sent
  U256 total;              // the sum of the prices
  U256 worst_case;         // the sum of price + fee bound, line by line
  bool mixed_currencies = false;
  std::optional<std::string> daily_limit;  // token units, when a daily budget is set
  std::string budget_refusal;              // non-empty: the daily budget would refuse the worst case
};

// Sums `lines` (saturating; failed lines are left out). `probes` and the budget fields are the caller's.
BatchQuoteSummary SummarizeBatchQuote(const std::vector<BatchQuoteLine>& lines);

// One row per line (line, price, fee bound, worst case, model, or the error), then the total, the worst
// case with fees, the daily budget's verdict and the count of lines that could not be quoted.
std::string RenderBatchQuoteText(const std::vector<BatchQuoteLine>& lines, const BatchQuoteSummary& summary);

// {"lines":[{index, line, price, price_base_units, fee_max, fee_max_base_units, worst_case, currency, token,
// free, model, refusal} or {index, line, error, exit_code}], "quoted", "failed", "probes", "total",
// "total_base_units", "worst_case", "worst_case_base_units", "mixed_currencies", "daily_limit",
// "fits_daily_budget" (null without a daily budget), "budget_refusal"} as one line ending in '\n'.
std::string RenderBatchQuoteJson(const std::vector<BatchQuoteLine>& lines, const BatchQuoteSummary& summary);

struct QuoteBatchJob {
  llm::Service service;
  llm::ChatParams params;  // the shared flags; each line's prompt or request fills in the rest
  PaymentSettings settings;
  int jobs = 1;  // probes in flight at once
  bool json = false;
};

// Quotes every non-blank line of `input` (chat --batch's format), probing each distinct request body
// once, `jobs` at a time, never paying; writes the table or the JSON to `out`. Ok when every line has
// a price; otherwise the first failed line's error kind, with the count. kUsage for an input with no
// lines.
Status RunQuoteBatch(const QuoteBatchJob& job, std::string_view input, Io& io, const Services& services);

// `mpp quote --batch FILE`: the job from the quote's flags (as chat --batch builds its requests: not
// streamed, -f files read once), then RunQuoteBatch. FILE '-' reads stdin.
Status RunQuoteBatchCommand(const std::string& file, int jobs, const RequestFlags& request,
                            const llm::Service& service, const PaymentSettings& settings, bool json, Io& io,
                            const Services& services);

}  // namespace mpp::cli
