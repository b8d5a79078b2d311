#include "llm/request.h"

#include <cmath>
#include <utility>

#include "llm/json_text.h"
#include "util/json_fields.h"
#include "util/json_reader.h"
#include "util/stdin.h"

namespace mpp::llm {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

constexpr std::string_view kWhitespace = " \t\r\n";

Error UsageError(std::string text) { return MakeError(ErrorKind::kUsage, std::move(text)); }

Status CheckNumbers(const ChatParams& params) {
  if (params.max_tokens && *params.max_tokens < 1)
    return UsageError("--max-tokens must be a positive integer");
  if (params.temperature && !(*params.temperature >= 0.0 && *params.temperature <= 2.0)) {
    return UsageError("--temperature must be between 0 and 2");
  }
  if (params.top_p && !(*params.top_p >= 0.0 && *params.top_p <= 1.0)) {
    return UsageError("--top-p must be between 0 and 1");
  }
  return {};
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string joined;
  for (const auto& word : words) {
    if (!joined.empty() && !word.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

// Whether `text` is a whole request: a JSON object with "messages". A parse failure is not an error:
// such text is a prompt like any other (cat broken.json | mpp chat "fix this").
bool ParseWholeRequest(std::string_view text, rapidjson::Document& doc) {
  std::size_t start = text.find_first_not_of(kWhitespace);
  if (start == std::string_view::npos || text[start] != '{') return false;
  std::string why;
  if (!json::Parse(text, kMaxStdinBytes, doc, why)) return false;
  return doc.IsObject() && doc.HasMember("messages");
}

Result<std::vector<Message>> MessagesOfRequest(const rapidjson::Value& request) {
  const rapidjson::Value& list = request["messages"];
  if (!list.IsArray()) return UsageError("the request on standard input: \"messages\" must be an array");
  std::vector<Message> messages;
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    auto message =
        MessageFromJson(list[i], "the request on standard input: messages[" + std::to_string(i) + "]");
    if (!message) return message.error();
    messages.push_back(std::move(*message));
  }
  return messages;
}

// The text of this turn's user message: stdin, the -f files, the prompt. Without files, stdin and the
// prompt are joined by one space (llm's rule); with files every part is separated by a blank line.
std::string UserText(std::optional<std::string_view> stdin_text, const std::vector<ContextFile>& files,
                     const std::string& prompt) {
  if (files.empty()) {
    std::string content;
    if (stdin_text) {
      content.assign(*stdin_text);
      if (!prompt.empty()) content += ' ';
    }
    return content + prompt;
  }
  std::string content;
  auto add = [&content](std::string_view part) {
    if (!content.empty()) content += content.ends_with('\n') ? "\n" : "\n\n";
    content += part;
  };
  if (stdin_text) add(*stdin_text);
  for (const auto& file : files) {
    std::string name;
    for (char c : file.name) name += c == '"' ? std::string("&quot;") : std::string(1, c);
    std::string block = "<file name=\"" + name + "\">\n" + file.text;
    if (!block.ends_with('\n')) block += '\n';
    add(block + "</file>");
  }
  if (!prompt.empty()) add(prompt);
  return content;
}

// A user message of `text` followed by an image_url part per image; plain text when there are none.
Message UserMessage(const std::string& text, const std::vector<std::string>& image_urls) {
  Message message = TextMessage("user", text);
  if (image_urls.empty()) return message;
  rapidjson::Document doc(rapidjson::kObjectType);
  Allocator& allocator = doc.GetAllocator();
  doc.AddMember("role", "user", allocator);
  rapidjson::Value parts(rapidjson::kArrayType);
  if (!text.empty()) {
    rapidjson::Value part(rapidjson::kObjectType);
    part.AddMember("type", "text", allocator);
    part.AddMember("text", StringValue(text, allocator), allocator);
    parts.PushBack(part, allocator);
  }
  for (const auto& url : image_urls) {
    rapidjson::Value image(rapidjson::kObjectType);
    image.AddMember("url", StringValue(url, allocator), allocator);
    rapidjson::Value part(rapidjson::kObjectType);
    part.AddMember("type", "image_url", allocator);
    part.AddMember("image_url", image, allocator);
    parts.PushBack(part, allocator);
  }
  doc.AddMember("content", parts, allocator);
  message.raw = json::ToCompact(doc);
  return message;
}

// Puts -s first: replaces a leading system message or inserts one. Returns whether anything changed.
bool ApplySystem(std::vector<Message>& messages, const std::string& system) {
  if (!messages.empty() && messages.front().role == "system") {
    if (messages.front().raw.empty() && messages.front().content == system) return false;
    messages.front() = TextMessage("system", system);
    return true;
  }
  messages.insert(messages.begin(), TextMessage("system", system));
  return true;
}

void SetString(rapidjson::Value& object, std::string_view name, std::string_view text, Allocator& allocator) {
  rapidjson::Value value = StringValue(text, allocator);
  SetMember(object, name, value, allocator);
}

Status ApplySchema(rapidjson::Document& doc, const std::string& schema_text) {
  Allocator& allocator = doc.GetAllocator();
  rapidjson::Document schema(&allocator);
  std::string why;
  if (!json::Parse(schema_text, kMaxStdinBytes, schema, why)) {
    return UsageError("--schema: the file is not valid JSON (" + why + ")");
  }
  if (!schema.IsObject()) return UsageError("--schema: a JSON Schema must be a JSON object");
  rapidjson::Value json_schema(rapidjson::kObjectType);
  json_schema.AddMember("name", "output", allocator);
  json_schema.AddMember("schema", rapidjson::Value(schema, allocator), allocator);
  json_schema.AddMember("strict", true, allocator);
  rapidjson::Value format(rapidjson::kObjectType);
  format.AddMember("type", "json_schema", allocator);
  format.AddMember("json_schema", json_schema, allocator);
  SetMember(doc, "response_format", format, allocator);
  return {};
}

void ApplyStream(rapidjson::Document& doc, bool stream) {
  Allocator& allocator = doc.GetAllocator();
  if (!stream) {
    RemoveMember(doc, "stream");
    RemoveMember(doc, "stream_options");
    return;
  }
  rapidjson::Value on(true);
  SetMember(doc, "stream", on, allocator);
  auto existing = doc.FindMember("stream_options");
  if (existing != doc.MemberEnd() && existing->value.IsObject()) {
    rapidjson::Value include(true);
    SetMember(existing->value, "include_usage", include, allocator);  // keep the user's other options
    return;
  }
  rapidjson::Value options(rapidjson::kObjectType);
  options.AddMember("include_usage", true, allocator);
  SetMember(doc, "stream_options", options, allocator);
}

// -o KEY=VALUE: VALUE as JSON when it is JSON, else as a string.
Status ApplyOption(rapidjson::Document& doc, std::string_view option) {
  std::size_t equals = option.find('=');
  if (equals == std::string_view::npos) {
    return UsageError("-o " + std::string(option) + ": expected KEY=VALUE, e.g. -o reasoning_format=parsed");
  }
  std::string_view key = option.substr(0, equals);
  std::string_view text = option.substr(equals + 1);
  if (key.empty()) return UsageError("-o " + std::string(option) + ": the key before '=' is empty");
  if (key == "messages") {
    return UsageError("-o messages=...: give messages as a JSON request on standard input instead");
  }
  Allocator& allocator = doc.GetAllocator();
  rapidjson::Document parsed(&allocator);
  std::string why;
  rapidjson::Value value;
  if (json::Parse(text, kMaxStdinBytes, parsed, why)) {
    value.CopyFrom(parsed, allocator);
  } else {
    value = StringValue(text, allocator);
  }
  SetMember(doc, key, value, allocator);
  return {};
}

void ApplyNamedFlags(rapidjson::Document& doc, const Service& service, const ChatParams& params) {
  Allocator& allocator = doc.GetAllocator();
  if (params.max_tokens) {
    // Only one spelling may reach the server: a stdin request's other spelling would contradict the flag.
    for (std::string_view alias : {"max_tokens", "max_completion_tokens"}) {
      if (alias != service.max_tokens_field) RemoveMember(doc, alias);
    }
    rapidjson::Value value(static_cast<int64_t>(*params.max_tokens));
    SetMember(doc, service.max_tokens_field, value, allocator);
  }
  if (params.temperature) {
    rapidjson::Value value(*params.temperature);
    SetMember(doc, "temperature", value, allocator);
  }
  if (params.top_p) {
    rapidjson::Value value(*params.top_p);
    SetMember(doc, "top_p", value, allocator);
  }
  if (!params.stops.empty()) {
    rapidjson::Value stops(rapidjson::kArrayType);
    for (const auto& stop : params.stops) stops.PushBack(StringValue(stop, allocator), allocator);
    SetMember(doc, "stop", stops, allocator);
  }
  if (params.seed) {
    rapidjson::Value value(static_cast<int64_t>(*params.seed));
    SetMember(doc, "seed", value, allocator);
  }
}

}  // namespace

Result<ChatRequest> BuildChatRequest(const Service& service, const ChatParams& params,
                                     std::optional<std::string_view> stdin_text,
                                     const std::vector<Message>& history) {
  if (auto checked = CheckNumbers(params); !checked) return checked.error();
  std::string prompt = JoinWords(params.prompt);
  bool has_stdin_text = stdin_text && stdin_text->find_first_not_of(kWhitespace) != std::string_view::npos;

  rapidjson::Document doc;
  bool whole_request = has_stdin_text && ParseWholeRequest(*stdin_text, doc);
  if (!whole_request) doc.SetObject();
  Allocator& allocator = doc.GetAllocator();

  ChatRequest request;
  if (whole_request) {
    auto messages = MessagesOfRequest(doc);
    if (!messages) return messages.error();
    request.new_messages = std::move(*messages);
    std::string content = UserText(std::nullopt, params.files, prompt);
    if (!content.empty() || !params.image_urls.empty())
      request.new_messages.push_back(UserMessage(content, params.image_urls));
  } else {
    std::optional<std::string_view> leading;
    if (has_stdin_text) leading = *stdin_text;
    std::string content = UserText(leading, params.files, prompt);
    if (!content.empty() || !params.image_urls.empty())
      request.new_messages.push_back(UserMessage(content, params.image_urls));
  }
  if (request.new_messages.empty()) {
    return UsageError(whole_request
                          ? "the request on standard input has no messages and there is no prompt"
                          : "no prompt: give one as an argument (mpp chat \"...\") or pipe text into "
                            "mpp chat");
  }

  request.messages = history;
  request.messages.insert(request.messages.end(), request.new_messages.begin(), request.new_messages.end());
  if (params.system && ApplySystem(request.messages, *params.system)) {
    if (history.empty()) {
      request.new_messages = request.messages;  // the system message replaced or joined this turn's own
    } else {
      request.new_messages.insert(request.new_messages.begin(), request.messages.front());
    }
  }

  if (!params.model.empty()) {
    SetString(doc, "model", params.model, allocator);
  } else if (!doc.HasMember("model") && !service.default_model.empty()) {
    SetString(doc, "model", service.default_model, allocator);
  }
  rapidjson::Value messages(rapidjson::kArrayType);
  for (const auto& message : request.messages)
    messages.PushBack(MessageToJson(message, allocator), allocator);
  SetMember(doc, "messages", messages, allocator);

  ApplyNamedFlags(doc, service, params);
  if (params.schema_json) {
    if (auto applied = ApplySchema(doc, *params.schema_json); !applied) return applied.error();
  }
  // A service without event streams (Locus) gets no stream field at all; -o can still add one.
  ApplyStream(doc, params.stream && service.streams);
  bool options_set_stream_options = false;
  for (const auto& option : params.options) {
    if (auto applied = ApplyOption(doc, option); !applied) return applied.error();
    options_set_stream_options = options_set_stream_options || option.starts_with("stream_options=");
  }
  // OpenAI refuses stream_options without "stream": true, which -o stream=false would otherwise cause.
  auto stream = doc.FindMember("stream");
  bool streaming = stream != doc.MemberEnd() && stream->value.IsBool() && stream->value.GetBool();
  if (!streaming && !options_set_stream_options) RemoveMember(doc, "stream_options");

  request.model = std::string(json::StringOrEmpty(doc, "model"));
  request.body = json::ToCompact(doc);
  return request;
}

}  // namespace mpp::llm
