// Small RapidJSON conveniences shared by the llm layer: compact serialisation and member upserts.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace mpp::llm {

// `value` as compact JSON (no whitespace); strings are written as UTF-8, unescaped beyond JSON's rules.
std::string ToCompactJson(const rapidjson::Value& value);

// mpp::json::Parse, for documents this layer goes on to copy or re-serialize (RapidJSON's CopyFrom
// recurses once per level; json::Parse refuses nesting beyond kMaxJsonDepth).
bool ParseForRewriting(std::string_view text, std::size_t max_bytes, rapidjson::Document& doc,
                       std::string& why);

// Sets member `name` of `object` (which must be an object) to `value`: replaces an existing member in
// place, so the request keeps its key order, or appends a new one. `value` is moved from.
void SetMember(rapidjson::Value& object, std::string_view name, rapidjson::Value& value,
               rapidjson::Document::AllocatorType& allocator);

// Removes every member called `name` from `object` (an object); no-op when absent.
void RemoveMember(rapidjson::Value& object, std::string_view name);

// A JSON string value holding a copy of `text`.
rapidjson::Value StringValue(std::string_view text, rapidjson::Document::AllocatorType& allocator);

// The string value of member `name`, or an empty view when absent or not a string. The view points
// into `object`.
std::string_view StringMember(const rapidjson::Value& object, std::string_view name);

}  // namespace mpp::llm
