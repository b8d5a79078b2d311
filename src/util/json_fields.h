// Typed, strict access to members of a parsed RapidJSON object (the key file, journal and chat
// readers): each returns nullopt or nullptr when the member is absent or of another type, and never
// converts one type into another.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <rapidjson/document.h>

namespace mpp::json {

// The member `name` of `object` (the first, should there be two), or nullptr when `object` is not an
// object or has no such member.
const rapidjson::Value* FindMember(const rapidjson::Value& object, std::string_view name);

// The member as a string / unsigned integer / object; nullopt or nullptr when absent or of another type.
// The view points into `object`.
std::optional<std::string_view> StringMember(const rapidjson::Value& object, std::string_view name);
std::optional<std::uint64_t> Uint64Member(const rapidjson::Value& object, std::string_view name);
const rapidjson::Value* ObjectMember(const rapidjson::Value& object, std::string_view name);

// StringMember, with an empty view for a member that is absent or not a string (for fields a reader
// treats as "" when missing).
std::string_view StringOrEmpty(const rapidjson::Value& object, std::string_view name);

}  // namespace mpp::json
