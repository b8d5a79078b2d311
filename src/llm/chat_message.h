// One chat message as the OpenAI chat schema carries it, kept faithful for replay.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "util/error.h"

namespace mpp::llm {

struct Message {
  std::string role;     // "system", "user", "assistant", "tool", ...
  std::string content;  // the text: a string content, or the text parts of a content array joined
  // The whole message object as compact JSON when it carries more than {role, content: string}
  // (content parts such as image_url, tool_calls, tool_call_id, name); empty otherwise. When set it
  // is what goes on the wire, so nothing the user sent is lost.
  std::string raw;

  friend bool operator==(const Message&, const Message&) = default;
};

// A plain {role, content} message.
Message TextMessage(std::string role, std::string content);

// A Message from a JSON message object. Refuses (kUsage, naming `where`, e.g. "messages[2]") anything
// that is not an object with a string "role".
Result<Message> MessageFromJson(const rapidjson::Value& value, std::string_view where);

// The message as a JSON object allocated in `allocator`: the parsed `raw` when set, else {role, content}.
rapidjson::Value MessageToJson(const Message& message, rapidjson::Document::AllocatorType& allocator);

}  // namespace mpp::llm
