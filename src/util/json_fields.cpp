#include "util/json_fields.h"

namespace mpp::json {

const rapidjson::Value* FindMember(const rapidjson::Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == name) return &it->value;
  }
  return nullptr;
}

std::optional<std::string_view> StringMember(const rapidjson::Value& object, std::string_view name) {
  const rapidjson::Value* value = FindMember(object, name);
  if (value == nullptr || !value->IsString()) return std::nullopt;
  return std::string_view(value->GetString(), value->GetStringLength());
}

std::optional<std::uint64_t> Uint64Member(const rapidjson::Value& object, std::string_view name) {
  const rapidjson::Value* value = FindMember(object, name);
  if (value == nullptr || !value->IsUint64()) return std::nullopt;
  return value->GetUint64();
}

const rapidjson::Value* ObjectMember(const rapidjson::Value& object, std::string_view name) {
  const rapidjson::Value* value = FindMember(object, name);
  return value != nullptr && value->IsObject() ? value : nullptr;
}

std::string_view StringOrEmpty(const rapidjson::Value& object, std::string_view name) {
  return StringMember(object, name).value_or(std::string_view());
}

}  // namespace mpp::json
