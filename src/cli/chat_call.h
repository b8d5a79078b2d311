// One chat completion call through the pay flow: POST the body, pay at most once, and read the answer
// (streamed or not) as it arrives.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "llm/stream_assembler.h"
#include "mpp/flow.h"
#include "util/error.h"

namespace mpp::cli {

struct ChatCallHooks {
  std::function<void(std::string_view text)> on_text;   // each content delta (may be empty)
  std::function<void(std::string_view bytes)> on_body;  // the 2xx body unchanged, as it arrives (--raw)
  bool unwrap_envelope = false;  // the service wraps answers as {"success":true,"data":...} (Locus)
};

struct ChatCallResult {
  std::optional<llm::AssembledResponse> answer;     // nullopt when the body was not a readable completion
  std::optional<Error> answer_error;                // why not (kNetwork), when answer is nullopt
  std::optional<protocol::PaymentSummary> payment;  // set when this call paid
};

// The POST request chat sends: JSON body, Accept for JSON and event streams.
net::HttpRequest ChatHttpRequest(const std::string& url, std::string body);

// Performs `request` through `flow`. A non-2xx answer is an UnpaidAnswerError; the flow's own
// errors pass through. An unreadable 2xx body is not an error here: the caller decides, knowing whether
// it paid (the payment stands either way; the transfer is never aborted half way).
Result<ChatCallResult> PerformChat(protocol::PayFlow& flow, const net::HttpRequest& request,
                                   const ChatCallHooks& hooks);

// The error for a call whose answer could not be read, saying what was paid when something was.
Error UnreadableAnswerError(const ChatCallResult& result);

}  // namespace mpp::cli
