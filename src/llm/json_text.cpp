#include "llm/json_text.h"

namespace mpp::llm {

void SetMember(rapidjson::Value& object, std::string_view name, rapidjson::Value& value,
               rapidjson::Document::AllocatorType& allocator) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == name) {
      it->value = value;  // RapidJSON assignment moves
      return;
    }
  }
  object.AddMember(StringValue(name, allocator), value, allocator);
}

void RemoveMember(rapidjson::Value& object, std::string_view name) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd();) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == name) {
      it = object.EraseMember(it);  // keeps the order of the remaining members
    } else {
      ++it;
    }
  }
}

rapidjson::Value StringValue(std::string_view text, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

}  // namespace mpp::llm
