#include "mpp/json_reader.h"

#include <algorithm>
#include <vector>

#include <rapidjson/error/en.h>

namespace mpp::json {

bool Parse(std::string_view text, std::size_t max_bytes, rapidjson::Document& doc, std::string& why) {
  if (text.size() > max_bytes) {
    why = "larger than " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  // RapidJSON treats NUL as the end of input, which would silently accept "{}\0junk".
  if (text.find('\0') != std::string_view::npos) {
    why = "contains a NUL byte";
    return false;
  }
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  doc.Parse<kFlags>(text.data(), text.size());
  if (doc.HasParseError()) {
    why = std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at offset " +
          std::to_string(doc.GetErrorOffset());
    return false;
  }
  return true;
}

std::optional<std::string> FindDuplicateKey(const rapidjson::Value& object) {
  std::vector<std::string_view> names;
  names.reserve(object.MemberCount());
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    names.emplace_back(it->name.GetString(), it->name.GetStringLength());
  }
  std::sort(names.begin(), names.end());
  auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup == names.end()) return std::nullopt;
  return std::string(*dup);
}

std::optional<std::string> OptionalString(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace mpp::json
