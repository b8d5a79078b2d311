// UTC timestamps and dates as the journal, history and file names write them.
#pragma once

#include "util/clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mpp {

// "2025-11-22T01:51:00Z" (RFC 3339, UTC, whole seconds). Parse it back with mpp::ParseRfc3339.
std::string FormatUtcTimestamp(std::int64_t unix_seconds);

// "2025-11-22": the UTC day `unix_seconds` falls in.
std::string FormatUtcDate(std::int64_t unix_seconds);

// Midnight UTC of a strict "YYYY-MM-DD" date (as `history --since` takes it); nullopt for anything
// else, including impossible dates such as 2025-02-29.
std::optional<std::int64_t> ParseUtcDate(std::string_view text);

}  // namespace mpp
