// Text from servers: UTF-8 checks and encoding, and a display-safe form for the terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mpp {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point`; the caller passes a scalar value (not a surrogate,
// at most U+10FFFF).
void AppendUtf8(std::string& out, char32_t code_point);

// A copy of untrusted server text that is safe to print on one terminal line (or in a table on
// stdout): terminal controls (IsTerminalControl: C0, DEL, C1, bidirectional marks) become '?', invalid UTF-8
// bytes become '?', and text past `max_bytes` is cut on a character boundary and marked with "...". Never
// returns escape sequences.
std::string DisplayText(std::string_view untrusted, std::size_t max_bytes = 300);

}  // namespace mpp
