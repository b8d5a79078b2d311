#include "util/json_reader.h"

#include <algorithm>
#include <vector>

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util/json_fields.h"

namespace mpp::json {

bool Parse(std::string_view text, std::size_t max_bytes, rapidjson::Document& doc, std::string& why,
           int max_depth) {
  if (text.size() > max_bytes) {
    why = "larger than " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  // RapidJSON has no depth limit of its own; the iterative parser would build any depth, and walking
  // the result later (printing it, copying it) would recurse once per level.
  if (!JsonNestingWithin(text, max_depth)) {
    why = "nested more than " + std::to_string(max_depth) + " levels deep";
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
  auto text = StringMember(object, name);
  if (!text) return std::nullopt;
  return std::string(*text);
}

std::string ToCompact(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  // One frame per open array or object: the value and how many of its children were written.
  struct Frame {
    const rapidjson::Value* value;
    rapidjson::SizeType next;
  };
  std::vector<Frame> open;
  auto start = [&](const rapidjson::Value& v) {
    if (v.IsArray()) {
      writer.StartArray();
      open.push_back({&v, 0});
    } else if (v.IsObject()) {
      writer.StartObject();
      open.push_back({&v, 0});
    } else {
      v.Accept(writer);  // a scalar: Accept does not recurse
    }
  };
  start(value);
  while (!open.empty()) {
    Frame& top = open.back();
    const rapidjson::Value& container = *top.value;
    if (container.IsArray()) {
      if (top.next == container.Size()) {
        writer.EndArray(container.Size());
        open.pop_back();
      } else {
        start(container[top.next++]);
      }
      continue;
    }
    if (top.next == container.MemberCount()) {
      writer.EndObject(container.MemberCount());
      open.pop_back();
      continue;
    }
    const auto& member = *(container.MemberBegin() + top.next++);
    writer.Key(member.name.GetString(), member.name.GetStringLength());
    start(member.value);  // may grow `open`, so `top` is not used after this
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace mpp::json
