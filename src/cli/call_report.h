// One chat call as JSON, for `mpp chat --json` (one object on stdout) and each `--batch` result line:
// what came back, what it cost and how long it took.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "llm/completion.h"
#include "mpp/intent.h"
#include "util/error.h"

namespace mpp::cli {

struct CallReport {
  std::optional<std::size_t> index;   // a batch line's position; absent for a single call
  std::optional<std::string> output;  // what was (or, with --json, would have been) printed
  std::optional<Error> error;         // the call failed: "error" and "exit_code" instead of "output"
  std::string model;                  // as the service reported it, else as requested; empty: null
  std::optional<llm::Usage> usage;
  std::string service;       // empty for a --url endpoint
  std::string url;           // the chat endpoint
  std::string conversation;  // the conversation id (a single call that is logged); empty: null
  std::optional<protocol::PaymentSummary> payment;
  std::optional<double> total_ms;         // from the start of the call to the end of the answer
  std::optional<double> first_output_ms;  // until the first text arrived (streamed answers)
};

// `report` as one compact JSON object and a newline. Members, in order: index (batch only), output or
// error with exit_code, model, usage {prompt_tokens, completion_tokens, total_tokens}, service, url,
// conversation (null when unknown), timings {total_ms, first_output_ms}, and, when something was
// paid: intent ("charge" or "session"), paid (token units), fee (what the network fee cost; "0" when
// the service paid it or a voucher moved no transaction) or fee_max (only its bound is known), token
// (address), token_symbol (when known), tx (when a transaction moved funds), channel (a session's).
std::string FormatCallReport(const CallReport& report);

}  // namespace mpp::cli
