#include "wallet/json_fields.h"

namespace mpp::wallet {

const rapidjson::Value* FindMember(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string_view> StringMember(const rapidjson::Value& object, const char* name) {
  const rapidjson::Value* value = FindMember(object, name);
  if (value == nullptr || !value->IsString()) return std::nullopt;
  return std::string_view(value->GetString(), value->GetStringLength());
}

std::optional<std::uint64_t> Uint64Member(const rapidjson::Value& object, const char* name) {
  const rapidjson::Value* value = FindMember(object, name);
  if (value == nullptr || !value->IsUint64()) return std::nullopt;
  return value->GetUint64();
}

const rapidjson::Value* ObjectMember(const rapidjson::Value& object, const char* name) {
  const rapidjson::Value* value = FindMember(object, name);
  return value != nullptr && value->IsObject() ? value : nullptr;
}

}  // namespace mpp::wallet
