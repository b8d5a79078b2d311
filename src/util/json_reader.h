// The one way mpp reads JSON that came from outside (servers, RPCs, files, stdin): RapidJSON with a
// size limit, a depth limit and strict syntax. Every Document built here nests at most kMaxJsonDepth
// levels, so the recursive parts of RapidJSON (Accept and the writers, CopyFrom, operator==) stay
// within a small, fixed stack on anything it returns.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "util/json_depth.h"

namespace mpp::json {

// Parses `text` as exactly one JSON value into `doc`. Refuses (returns false and says why in `why`)
// input longer than `max_bytes`, arrays or objects nested deeper than `max_depth`, raw NUL bytes,
// invalid UTF-8 in strings, trailing data and any syntax error. Linear time; nothing recurses.
bool Parse(std::string_view text, std::size_t max_bytes, rapidjson::Document& doc, std::string& why,
           int max_depth = kMaxJsonDepth);

// The first key that appears twice in `object` (which must be an object), or nullopt. Servers parse
// duplicates differently (first wins, last wins), so values from such an object cannot be trusted.
std::optional<std::string> FindDuplicateKey(const rapidjson::Value& object);

// The string value of member `name`, or nullopt when absent, null or not a string.
std::optional<std::string> OptionalString(const rapidjson::Value& object, const char* name);

// `value` as compact JSON (no whitespace; strings as UTF-8, escaped only as JSON requires). Walks the
// value with an explicit stack instead of RapidJSON's recursive Accept, so any depth is safe.
std::string ToCompact(const rapidjson::Value& value);

}  // namespace mpp::json
