#include "llm/completion.h"

#include <utility>

#include "util/json_fields.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::llm {
namespace {

Error ServiceError(std::string text) { return MakeError(ErrorKind::kNetwork, std::move(text)); }

// Parses `json` as an object; an error object in it becomes the error.
Status ParseObject(std::string_view json, rapidjson::Document& doc, std::string_view what) {
  std::string why;
  if (!json::Parse(json, kMaxResponseJsonBytes, doc, why)) {
    return ServiceError("the service sent " + std::string(what) + " that is not valid JSON (" + why +
                        "): " + DisplayText(json, 120));
  }
  if (!doc.IsObject())
    return ServiceError("the service sent " + std::string(what) + " that is not a JSON object");
  if (auto error = ServiceErrorText(doc))
    return ServiceError("the service answered with an error: " + *error);
  return {};
}

std::int64_t TokenCount(const rapidjson::Value& usage, const char* name) {
  auto it = usage.FindMember(name);
  if (it == usage.MemberEnd() || !it->value.IsInt64()) return 0;
  return it->value.GetInt64() < 0 ? 0 : it->value.GetInt64();
}

std::optional<Usage> UsageOf(const rapidjson::Value& body) {
  const rapidjson::Value* usage = nullptr;
  auto it = body.FindMember("usage");
  if (it != body.MemberEnd() && it->value.IsObject()) {
    usage = &it->value;
  } else if (auto groq = body.FindMember("x_groq"); groq != body.MemberEnd() && groq->value.IsObject()) {
    auto inner = groq->value.FindMember("usage");
    if (inner != groq->value.MemberEnd() && inner->value.IsObject()) usage = &inner->value;
  }
  if (usage == nullptr) return std::nullopt;
  Usage result{TokenCount(*usage, "prompt_tokens"), TokenCount(*usage, "completion_tokens"),
               TokenCount(*usage, "total_tokens")};
  if (result.total_tokens == 0) result.total_tokens = result.prompt_tokens + result.completion_tokens;
  return result;
}

// choices[0], or nullptr.
const rapidjson::Value* FirstChoice(const rapidjson::Value& body) {
  auto it = body.FindMember("choices");
  if (it == body.MemberEnd() || !it->value.IsArray() || it->value.Empty()) return nullptr;
  const rapidjson::Value& first = it->value[0];
  return first.IsObject() ? &first : nullptr;
}

const rapidjson::Value* ObjectMember(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsObject()) return nullptr;
  return &it->value;
}

std::string ReasoningOf(const rapidjson::Value& message) {
  std::string_view reasoning = json::StringOrEmpty(message, "reasoning");
  if (reasoning.empty()) reasoning = json::StringOrEmpty(message, "reasoning_content");
  return std::string(reasoning);
}

// A string content, or the text parts of a content array.
std::string ContentOf(const rapidjson::Value& message) {
  auto it = message.FindMember("content");
  if (it == message.MemberEnd()) return {};
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  std::string text;
  if (it->value.IsArray()) {
    for (const auto& part : it->value.GetArray()) text += json::StringOrEmpty(part, "text");
  }
  return text;
}

std::vector<ToolCallDelta> ToolCallDeltasOf(const rapidjson::Value& delta) {
  std::vector<ToolCallDelta> calls;
  auto it = delta.FindMember("tool_calls");
  if (it == delta.MemberEnd() || !it->value.IsArray()) return calls;
  for (const auto& item : it->value.GetArray()) {
    if (!item.IsObject()) continue;
    ToolCallDelta call;
    if (auto index = item.FindMember("index"); index != item.MemberEnd() && index->value.IsInt64()) {
      call.index = index->value.GetInt64();
    }
    call.id = json::StringOrEmpty(item, "id");
    call.type = json::StringOrEmpty(item, "type");
    if (const rapidjson::Value* function = ObjectMember(item, "function")) {
      call.name = json::StringOrEmpty(*function, "name");
      call.arguments = json::StringOrEmpty(*function, "arguments");
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace

std::optional<std::string> ServiceErrorText(const rapidjson::Value& body) {
  if (!body.IsObject()) return std::nullopt;
  auto it = body.FindMember("error");
  if (it == body.MemberEnd() || it->value.IsNull() || (it->value.IsBool() && !it->value.GetBool())) {
    return std::nullopt;
  }
  const rapidjson::Value& error = it->value;
  if (error.IsString()) {
    // Locus: {"error":"Invalid request","message":"model is required"}.
    std::string text(error.GetString(), error.GetStringLength());
    std::string_view message = json::StringOrEmpty(body, "message");
    if (!message.empty()) text += ": " + std::string(message);
    return DisplayText(text);
  }
  if (!error.IsObject()) return DisplayText(json::ToCompact(error));
  std::string text(json::StringOrEmpty(error, "message"));
  if (text.empty()) return DisplayText(json::ToCompact(error));
  std::string_view code = json::StringOrEmpty(error, "code");
  if (code.empty()) code = json::StringOrEmpty(error, "type");
  if (!code.empty()) text += " (" + std::string(code) + ")";
  return DisplayText(text);
}

Result<ChunkDelta> ParseStreamChunk(std::string_view json) {
  rapidjson::Document doc;
  if (auto parsed = ParseObject(json, doc, "a stream chunk"); !parsed) return parsed.error();
  ChunkDelta chunk;
  chunk.model = json::StringOrEmpty(doc, "model");
  chunk.usage = UsageOf(doc);
  if (const rapidjson::Value* choice = FirstChoice(doc)) {
    chunk.finish_reason = json::StringOrEmpty(*choice, "finish_reason");
    // Some services send whole messages instead of deltas in their last chunk; accept either.
    const rapidjson::Value* delta = ObjectMember(*choice, "delta");
    if (delta == nullptr) delta = ObjectMember(*choice, "message");
    if (delta != nullptr) {
      chunk.content = ContentOf(*delta);
      chunk.reasoning = ReasoningOf(*delta);
      chunk.tool_calls = ToolCallDeltasOf(*delta);
    }
  }
  return chunk;
}

Result<Completion> ParseCompletion(std::string_view json) {
  rapidjson::Document doc;
  if (auto parsed = ParseObject(json, doc, "a response"); !parsed) return parsed.error();
  const rapidjson::Value* choice = FirstChoice(doc);
  const rapidjson::Value* message = choice != nullptr ? ObjectMember(*choice, "message") : nullptr;
  if (message == nullptr) {
    return ServiceError("the service's response has no choices[0].message: " + DisplayText(json, 120));
  }
  Completion completion;
  completion.model = json::StringOrEmpty(doc, "model");
  completion.usage = UsageOf(doc);
  completion.finish_reason = json::StringOrEmpty(*choice, "finish_reason");
  completion.content = ContentOf(*message);
  completion.reasoning = ReasoningOf(*message);
  auto calls = message->FindMember("tool_calls");
  if (calls != message->MemberEnd() && calls->value.IsArray() && !calls->value.Empty()) {
    completion.tool_calls_json = json::ToCompact(calls->value);
  }
  return completion;
}

std::string OutputText(const Completion& completion) {
  std::string text = completion.content;
  if (!completion.tool_calls_json.empty()) {
    if (!text.empty() && !text.ends_with('\n')) text += '\n';
    text += completion.tool_calls_json;
  }
  return text;
}

}  // namespace mpp::llm
