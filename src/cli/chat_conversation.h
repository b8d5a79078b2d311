// Which conversation a chat call belongs to (-c, --cid, or a new one) and logging its exchanges under
// <data dir>/conversations.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/config.h"
#include "cli/service_flags.h"
#include "llm/conversation.h"
#include "util/error.h"
#include "wallet/env.h"

namespace mpp::cli {

// <data dir>/conversations (see wallet::ResolvePaths over `env`); kWallet when no home directory is known.
Result<std::filesystem::path> ConversationsDir(const wallet::EnvLookup& env);

struct ConversationChoice {
  std::string id;
  std::vector<llm::Message> history;  // what to replay before this turn's messages
};

// --cid ID continues that conversation, -c the last one written to; otherwise a new id. Refuses (kUsage)
// -c when there is no conversation yet, and unknown or malformed ids.
Result<ConversationChoice> ChooseConversation(const std::filesystem::path& dir, bool continue_last,
                                              const std::string& cid, std::int64_t now);

// Where a continued conversation was held: the last exchange's service, endpoint and requested model
// (empty when the log predates them).
struct ConversationOrigin {
  std::string id;
  std::string service;
  std::string url;
  std::string model;
};

// The conversation -c (the last one) or --cid ID continues, with its origin. kUsage as ChooseConversation.
Result<ConversationOrigin> FindConversationOrigin(const std::filesystem::path& dir, bool continue_last,
                                                  const std::string& cid);

// The service flags and model that continue `origin`, and what -v should say about them: the
// conversation's service (its recorded endpoint, through --base-url when it had one, or as --url when
// the service is no longer known), unless --service, --url or --base-url chose one; its model unless -m
// did. Pure but for the config's services, passed in.
struct ContinuedTarget {
  ServiceFlags service;
  std::string model;
  std::vector<std::string> notes;
};
ContinuedTarget ContinueOn(const ConversationOrigin& origin, const ServiceFlags& given,
                           const std::string& given_model, const ConfigValues& config);

}  // namespace mpp::cli
