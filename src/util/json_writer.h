// Writing JSON with RapidJSON's streaming writer, as the journal, history and quote encoders do:
// compact, UTF-8, members in the order written. The string helpers write every byte of a value (the
// length is passed, so an embedded NUL is kept, never a cut).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mpp::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// `value` as a JSON string.
void WriteString(Writer& writer, std::string_view value);

// The member "key": "value" (inside an object the caller has started).
void WriteField(Writer& writer, std::string_view key, std::string_view value);

// "key": "value", or "key": null when `value` is nullopt.
void WriteOptionalField(Writer& writer, std::string_view key, const std::optional<std::string>& value);

// What `buffer` holds so far.
std::string BufferText(const rapidjson::StringBuffer& buffer);

}  // namespace mpp::json
