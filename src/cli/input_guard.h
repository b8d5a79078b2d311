// The input guard before a chat call is paid: a request larger than --max-input is refused before
// anything is sent, and a continued conversation says on stderr how much history it re-sends.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cli/payment_options.h"
#include "llm/chat_message.h"
#include "llm/request.h"
#include "util/error.h"

namespace mpp::cli {

// The default --max-input: mpp knows no model's context size, so a generous bound on the request
// body (about 250,000 tokens of text) that still stops a runaway pipe or conversation.
inline constexpr std::size_t kDefaultMaxInputBytes = std::size_t{1} << 20;

// A rough token count for `bytes` of text: one token per four bytes, rounded up.
std::size_t EstimateTokens(std::size_t bytes);

// "6 earlier messages (12345 bytes, ~3087 tokens)": the history a continued call re-sends.
std::string DescribeHistory(const std::vector<llm::Message>& history);

// kUsage when `request`'s body is over `max_bytes`, naming its size, the estimate in tokens and how to
// proceed (--max-input, or a new conversation instead of -c when `history` is not empty).
Status CheckInputSize(std::size_t body_bytes, const std::vector<llm::Message>& history,
                      std::size_t max_bytes);

// --max-input as given (a byte size such as 200000, 512K or 1M; empty: the default). kUsage otherwise.
Result<std::size_t> ResolveMaxInput(std::string_view flag);

// Before a single call: checks the size against --max-input `flag` (ResolveMaxInput,
// CheckInputSize), and with a history says on stderr what it re-sends and returns `settings` set to
// announce the price the service asks before paying it.
Result<PaymentSettings> GuardInput(const llm::ChatRequest& request, const std::vector<llm::Message>& history,
                                   std::string_view flag, const PaymentSettings& settings);

}  // namespace mpp::cli
