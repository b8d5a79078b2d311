// Reading chat completion responses: one streamed chunk, or a whole (non-streamed) response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "util/error.h"

namespace mpp::llm {

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  friend bool operator==(const Usage&, const Usage&) = default;
};

// One fragment of a streamed tool call; fragments with the same index concatenate.
struct ToolCallDelta {
  std::int64_t index = 0;
  std::string id;
  std::string type;
  std::string name;
  std::string arguments;
};

// What one streamed chunk carries. Missing or null fields are empty: a chunk with only a role, only
// reasoning, only usage or no choices at all is normal.
struct ChunkDelta {
  std::string content;        // choices[0].delta.content
  std::string reasoning;      // choices[0].delta.reasoning or .reasoning_content (not printed)
  std::string finish_reason;  // choices[0].finish_reason
  std::string model;
  std::optional<Usage> usage;  // "usage", or Groq's "x_groq.usage"
  std::vector<ToolCallDelta> tool_calls;
};

// A whole response.
struct Completion {
  std::string content;          // choices[0].message.content (text parts joined when it is an array)
  std::string reasoning;        // choices[0].message.reasoning or .reasoning_content
  std::string tool_calls_json;  // choices[0].message.tool_calls as compact JSON, or empty
  std::string finish_reason;
  std::string model;
  std::optional<Usage> usage;
};

inline constexpr std::size_t kMaxResponseJsonBytes = 32 * 1024 * 1024;

// The chunk in `json` (one SSE data payload). Fails (kNetwork) on invalid JSON, a non-object, or an
// error object ({"error": {...}} or {"error": "..."}), whose text the message carries.
Result<ChunkDelta> ParseStreamChunk(std::string_view json);

// The response in `json`. Fails (kNetwork) on invalid JSON, a non-object, an error object, or no
// choices[0].message.
Result<Completion> ParseCompletion(std::string_view json);

// What the user sees on stdout: the content; tool calls, when the model made any, as their JSON array
// on a line of their own after the content (so a pipeline can still act on them).
std::string OutputText(const Completion& completion);

// The display-safe text of an error object in a response body (`{"error":{"message":...}}`, or a
// string "error", followed by ": <message>" when the body has a string "message" beside it), or
// nullopt when `body` has no non-null, non-false "error".
std::optional<std::string> ServiceErrorText(const rapidjson::Value& body);

}  // namespace mpp::llm
