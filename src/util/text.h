// Text from servers: UTF-8 checks and encoding, a display-safe form for the terminal, and ASCII case
// mapping for protocol tokens (schemes, hosts, methods, units), which no locale may change.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mpp {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of the code point `cp`; the caller passes a scalar value (not a
// surrogate, at most U+10FFFF).
void AppendUtf8(std::string& out, char32_t cp);

// A copy of untrusted server text that is safe to print on one terminal line (or in a table on
// stdout): terminal controls (IsTerminalControl: C0, DEL, C1, bidirectional marks) become '?', invalid UTF-8
// bytes become '?', and text past `max_bytes` is cut on a character boundary and marked with "...". Never
// returns escape sequences.
std::string DisplayText(std::string_view untrusted, std::size_t max_bytes = 300);

// `text` with A-Z mapped to a-z; every other byte (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

// `text` with a-z mapped to A-Z; every other byte unchanged.
std::string AsciiUpper(std::string_view text);

// True when `a` and `b` are equal but for the case of ASCII letters.
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);

}  // namespace mpp
