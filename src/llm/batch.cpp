#include "llm/batch.h"

#include <utility>

#include <rapidjson/document.h>

#include "llm/json_text.h"
#include "util/json_reader.h"

namespace mpp::llm {
namespace {

constexpr std::size_t kMaxBatchLineBytes = 16 * 1024 * 1024;

Error LineError(const BatchLine& line, const std::string& why) {
  return MakeError(ErrorKind::kUsage, "batch line " + std::to_string(line.line_number) + ": " + why);
}

}  // namespace

std::vector<BatchLine> SplitBatchLines(std::string_view input) {
  std::vector<BatchLine> lines;
  std::size_t line_number = 0;
  while (!input.empty()) {
    std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    lines.push_back({lines.size(), line_number, std::string(line)});
  }
  return lines;
}

Result<BatchItem> ParseBatchLine(const BatchLine& line) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(line.text, kMaxBatchLineBytes, doc, why)) {
    return LineError(line, "not valid JSON (" + why + "); write a JSON string or a request object per line");
  }
  BatchItem item;
  if (doc.IsString()) {
    item.prompt.assign(doc.GetString(), doc.GetStringLength());
    if (item.prompt.find_first_not_of(" \t\r\n") == std::string::npos)
      return LineError(line, "the prompt is empty");
    return item;
  }
  if (!doc.IsObject()) return LineError(line, "expected a JSON string (a prompt) or an object (a request)");
  auto messages = doc.FindMember("messages");
  if (messages == doc.MemberEnd() || !messages->value.IsArray()) {
    return LineError(line, "a request object needs a \"messages\" array");
  }
  item.kind = BatchItem::Kind::kRequest;
  item.request_json = json::ToCompact(doc);
  return item;
}

}  // namespace mpp::llm
