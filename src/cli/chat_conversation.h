// Which conversation a chat call belongs to (-c, --cid, or a new one) and logging its exchanges under
// <data dir>/conversations.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "llm/conversation.h"
#include "util/error.h"

namespace mpp::cli {

// <data dir>/conversations (see wallet::ResolvePaths); kWallet when no home directory is known.
Result<std::filesystem::path> ConversationsDir();

struct ConversationChoice {
  std::string id;
  std::vector<llm::Message> history;  // what to replay before this turn's messages
};

// --cid ID continues that conversation, -c the last one written to; otherwise a new id. Refuses (kUsage)
// -c when there is no conversation yet, and unknown or malformed ids.
Result<ConversationChoice> ChooseConversation(const std::filesystem::path& dir, bool continue_last,
                                              const std::string& cid, std::int64_t now);

}  // namespace mpp::cli
