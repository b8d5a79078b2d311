// What chat, batch and models print besides the completion itself, as pure functions of values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/completion.h"
#include "llm/conversation.h"
#include "mpp/flow.h"

namespace mpp::cli {

// The stderr line after a call: model, tokens and what was paid, e.g.
// "gpt-4o-mini, 12 tokens (5 in, 7 out), paid 0.001 pathUSD, tx 0xab..". Parts that are unknown are
// left out; "free" when nothing was paid. Server text is made display-safe.
std::string ChatSummaryLine(std::string_view model, const std::optional<llm::Usage>& usage,
                            const std::optional<protocol::PaymentSummary>& payment);

// One line per conversation, most recent first: id, last update (UTC), turns, and the first prompt;
// "no conversations yet" when empty.
std::string RenderConversationList(const std::vector<llm::ConversationSummary>& conversations);

// "[########------------]  7/20  1 failed" with a bar `width` cells wide (at least 1); the failed part
// only when some failed.
std::string ProgressBarText(std::size_t done, std::size_t failed, std::size_t total, std::size_t width = 24);

// One model id per line.
std::string RenderModelList(const std::vector<std::string>& ids);

}  // namespace mpp::cli
