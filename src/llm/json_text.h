// Small RapidJSON conveniences shared by the llm layer: member upserts and string values. Parsing and
// compact serialisation are mpp::json's (util/json_reader.h).
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace mpp::llm {

// Sets member `name` of `object` (which must be an object) to `value`: replaces an existing member in
// place, so the request keeps its key order, or appends a new one. `value` is moved from.
void SetMember(rapidjson::Value& object, std::string_view name, rapidjson::Value& value,
               rapidjson::Document::AllocatorType& allocator);

// Removes every member called `name` from `object` (an object); no-op when absent.
void RemoveMember(rapidjson::Value& object, std::string_view name);

// A JSON string value holding a copy of `text`.
rapidjson::Value StringValue(std::string_view text, rapidjson::Document::AllocatorType& allocator);

}  // namespace mpp::llm
