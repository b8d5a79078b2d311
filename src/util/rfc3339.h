// RFC 3339 date-times, as MPP's `expires` and receipt `timestamp` carry them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mpp {

// Seconds since the UNIX epoch for a strict RFC 3339 `date-time`: "2025-01-01T00:00:00Z",
// optional fraction ("...:00.250Z", truncated towards the past), and "Z" or a "+hh:mm"/"-hh:mm"
// offset ("T" and "Z" may be lowercase, as RFC 3339 allows). nullopt for anything else: missing
// parts, a space separator, leap seconds (second 60), impossible dates (2025-02-29), offsets past
// 23:59, surrounding whitespace.
std::optional<std::int64_t> ParseRfc3339(std::string_view text);

}  // namespace mpp
