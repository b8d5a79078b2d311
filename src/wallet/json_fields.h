// Typed, strict access to members of a parsed RapidJSON object (shared by the key file and journal parsers).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <rapidjson/document.h>

namespace mpp::wallet {

// The member `name` of `object`, or nullptr when `object` is not an object or has no such member.
const rapidjson::Value* FindMember(const rapidjson::Value& object, const char* name);

// The member as a string / unsigned integer / object; nullopt or nullptr when absent or of another type.
std::optional<std::string_view> StringMember(const rapidjson::Value& object, const char* name);
std::optional<std::uint64_t> Uint64Member(const rapidjson::Value& object, const char* name);
const rapidjson::Value* ObjectMember(const rapidjson::Value& object, const char* name);

}  // namespace mpp::wallet
