// What `mpp logs` prints, as pure functions of logged exchanges.
#pragma once

#include <string>
#include <vector>

#include "llm/conversation.h"
#include "llm/exchange_log.h"

namespace mpp::cli {

// The first non-blank line of the exchange's last user message (else of its last message), display-safe
// and cut to about 60 bytes; empty when there is none.
std::string PromptLine(const llm::ExchangeRecord& record);

// One line per exchange, in the order given: UTC time to the second, service, model, what was paid
// (token units; "free" when nothing was), conversation id and PromptLine. Unknown fields are "-";
// everything from the log is display-safe.
std::string RenderExchangeList(const std::vector<llm::LoggedExchange>& exchanges);

// The exchanges in the order given, as markdown-like text: a "# time" heading with the conversation,
// a line with service, model and payment, then "## Prompt" (or the message's role) sections and
// "## Response". Every line of logged text is display-safe; tabs and line breaks are kept.
std::string RenderTranscript(const std::vector<llm::LoggedExchange>& exchanges);

// A JSON array, in the order given, of the records as logged (see ExchangeRecordJson) with
// "conversation_id" first, then a newline.
std::string ExchangesJson(const std::vector<llm::LoggedExchange>& exchanges);

// The answer as `mpp chat` printed it: the text, then a newline when it does not end with one
// (nothing for an empty answer). Not filtered, as chat does not filter it.
std::string AnswerOutput(const llm::ExchangeRecord& record);

}  // namespace mpp::cli
