#include "cli/chat_conversation.h"

#include "wallet/env.h"
#include "wallet/paths.h"

namespace mpp::cli {

Result<std::filesystem::path> ConversationsDir() {
  auto paths = wallet::ResolvePaths(wallet::ProcessEnvironment());
  if (!paths) return paths.error();
  return paths->data_dir / "conversations";
}

Result<ConversationChoice> ChooseConversation(const std::filesystem::path& dir, bool continue_last,
                                              const std::string& cid, std::int64_t now) {
  ConversationChoice choice;
  if (!cid.empty()) {
    choice.id = cid;
  } else if (continue_last) {
    auto last = llm::LastConversationId(dir);
    if (!last) return last.error();
    if (!*last) return MakeError(ErrorKind::kUsage, "-c: there is no conversation to continue yet");
    choice.id = **last;
  } else {
    choice.id = llm::NewConversationId(now);
    return choice;
  }
  auto history = llm::LoadHistory(dir, choice.id);
  if (!history) return history.error();
  choice.history = std::move(*history);
  return choice;
}

}  // namespace mpp::cli
