// Reading untrusted JSON (challenge requests, receipts, problem bodies) with RapidJSON, safely.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace mpp::json {

// Parses `text` as exactly one JSON value into `doc`. Refuses (returns false and says why in `why`)
// input longer than `max_bytes`, raw NUL bytes, invalid UTF-8 in strings, trailing data and any syntax
// error. Parsing is iterative, so deep nesting cannot exhaust the stack.
bool Parse(std::string_view text, std::size_t max_bytes, rapidjson::Document& doc, std::string& why);

// The first key that appears twice in `object` (which must be an object), or nullopt. Servers parse
// duplicates differently (first wins, last wins), so values from such an object cannot be trusted.
std::optional<std::string> FindDuplicateKey(const rapidjson::Value& object);

// The string value of member `name`, or nullopt when absent, null or not a string.
std::optional<std::string> OptionalString(const rapidjson::Value& object, const char* name);

}  // namespace mpp::json
