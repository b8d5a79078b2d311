#include "llm/envelope.h"

#include <rapidjson/document.h>

#include "llm/completion.h"
#include "util/json_reader.h"

namespace mpp::llm {

std::optional<std::string> UnwrapSuccessEnvelope(std::string_view json) {
  // Cheap refusals first: most bodies are bare completions and need no second parse.
  if (json.find("\"success\"") == std::string_view::npos) return std::nullopt;
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(json, kMaxResponseJsonBytes, doc, why) || !doc.IsObject()) return std::nullopt;
  if (doc.MemberCount() != 2) return std::nullopt;
  auto success = doc.FindMember("success");
  auto data = doc.FindMember("data");
  if (success == doc.MemberEnd() || data == doc.MemberEnd()) return std::nullopt;
  if (!success->value.IsBool() || !success->value.GetBool() || !data->value.IsObject()) return std::nullopt;
  return json::ToCompact(data->value);
}

}  // namespace mpp::llm
