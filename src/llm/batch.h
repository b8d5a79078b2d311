// The pure parts of `mpp chat --batch`: reading JSONL input lines (result lines: cli/call_report.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace mpp::llm {

// One input line that holds something (blank lines are skipped and get no index).
struct BatchLine {
  std::size_t index = 0;        // position among non-blank lines, from 0: the output's "index"
  std::size_t line_number = 0;  // in the input, from 1, for messages
  std::string text;
};

// The non-blank lines of `input` (LF or CRLF endings; a last line without newline counts).
std::vector<BatchLine> SplitBatchLines(std::string_view input);

// What one line asks for: a prompt, or a whole request object (compact JSON, as stdin would give it).
struct BatchItem {
  enum class Kind { kPrompt, kRequest };
  Kind kind = Kind::kPrompt;
  std::string prompt;        // kPrompt: the string
  std::string request_json;  // kRequest: the object, to be passed to BuildChatRequest as stdin text
};

// Parses one line: a JSON string is a prompt, a JSON object with a "messages" array a request.
// Refuses (kUsage, naming the line number) invalid JSON, an empty prompt, other JSON types, and
// objects without a "messages" array.
Result<BatchItem> ParseBatchLine(const BatchLine& line);

}  // namespace mpp::llm
