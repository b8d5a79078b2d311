#include "llm/chat_message.h"

#include <utility>

#include "llm/json_text.h"
#include "util/json_fields.h"
#include "util/json_reader.h"

namespace mpp::llm {
namespace {

// The text parts of an OpenAI content array ([{type:"text", text:"..."}, {type:"image_url", ...}]).
std::string TextOfParts(const rapidjson::Value& parts) {
  std::string text;
  for (const auto& part : parts.GetArray()) {
    std::string_view piece = json::StringOrEmpty(part, "text");
    if (piece.empty()) continue;
    if (!text.empty()) text += '\n';
    text += piece;
  }
  return text;
}

}  // namespace

Message TextMessage(std::string role, std::string content) {
  return Message{std::move(role), std::move(content), {}};
}

Result<Message> MessageFromJson(const rapidjson::Value& value, std::string_view where) {
  if (!value.IsObject()) {
    return MakeError(ErrorKind::kUsage,
                     std::string(where) + " must be a JSON object with \"role\" and \"content\"");
  }
  auto role = value.FindMember("role");
  if (role == value.MemberEnd() || !role->value.IsString()) {
    return MakeError(ErrorKind::kUsage, std::string(where) + " has no string \"role\"");
  }
  Message message;
  message.role.assign(role->value.GetString(), role->value.GetStringLength());
  bool plain = value.MemberCount() <= 2;
  auto content = value.FindMember("content");
  if (content == value.MemberEnd()) {
    plain = plain && value.MemberCount() == 1;
  } else if (content->value.IsString()) {
    message.content.assign(content->value.GetString(), content->value.GetStringLength());
  } else {
    plain = false;
    if (content->value.IsArray()) message.content = TextOfParts(content->value);
  }
  if (!plain) message.raw = json::ToCompact(value);
  return message;
}

rapidjson::Value MessageToJson(const Message& message, rapidjson::Document::AllocatorType& allocator) {
  if (!message.raw.empty()) {
    rapidjson::Document parsed(&allocator);
    std::string why;
    if (json::Parse(message.raw, message.raw.size(), parsed, why) && parsed.IsObject()) {
      rapidjson::Value copy(parsed, allocator);
      return copy;
    }
  }
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("role", StringValue(message.role, allocator), allocator);
  object.AddMember("content", StringValue(message.content, allocator), allocator);
  return object;
}

}  // namespace mpp::llm
