#include "cli/chat_conversation.h"

#include "wallet/env.h"
#include "wallet/paths.h"

namespace mpp::cli {

Result<std::filesystem::path> ConversationsDir(const wallet::EnvLookup& env) {
  auto paths = wallet::ResolvePaths(env);
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

Result<ConversationOrigin> FindConversationOrigin(const std::filesystem::path& dir, bool continue_last,
                                                  const std::string& cid) {
  auto chosen = ChooseConversation(dir, continue_last, cid, 0);
  if (!chosen) return chosen.error();
  ConversationOrigin origin;
  origin.id = chosen->id;
  auto last = llm::LastExchange(dir, chosen->id);
  if (!last) return last.error();
  if (*last) {
    origin.service = (*last)->service;
    origin.url = (*last)->url;
    origin.model = (*last)->requested_model.empty() ? (*last)->model : (*last)->requested_model;
  }
  return origin;
}

ContinuedTarget ContinueOn(const ConversationOrigin& origin, const ServiceFlags& given,
                           const std::string& given_model, const ConfigValues& config) {
  ContinuedTarget target{given, given_model, {}};
  const std::string where = "conversation " + origin.id;
  if (!given.service.empty() || !given.url.empty() || !given.base_url.empty()) {
    if (!origin.service.empty())
      target.notes.push_back(where + " was held with " + origin.service +
                             "; the flags choose the service now");
  } else if (!origin.service.empty() || !origin.url.empty()) {
    ServiceFlags by_name{origin.service, "", ""};
    auto known = origin.service.empty() ? Result<llm::Service>(MakeError(ErrorKind::kUsage, ""))
                                        : ResolveService(by_name, config);
    if (known && (origin.url.empty() || llm::ChatUrl(*known) == origin.url)) {
      target.service = by_name;
    } else if (known && !known->chat_path.empty() && origin.url.ends_with(known->chat_path)) {
      target.service = {origin.service, "",
                        origin.url.substr(0, origin.url.size() - known->chat_path.size())};
    } else if (!origin.url.empty()) {
      target.service = {"", origin.url, ""};
    }
    const std::string on = origin.url.empty() ? origin.service
                           : origin.service.empty() || origin.service == origin.url
                               ? origin.url
                               : origin.service + " at " + origin.url;
    target.notes.push_back("continuing " + where + " on " + on +
                           " (--service, --url or --base-url choose another)");
  }
  if (given_model.empty() && !origin.model.empty()) {
    target.model = origin.model;
    target.notes.push_back("with its model " + origin.model + " (-m chooses another)");
  }
  return target;
}

}  // namespace mpp::cli
