// The display filter: what may reach the terminal of text mpp did not write itself (servers, RPCs,
// files). Every line the message layer writes to stderr passes through EscapeForTerminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mpp {

// Length of the well-formed UTF-8 sequence at the start of `text` (1 to 4), or 0 when it does not
// start with one (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF, nothing truncated).
std::size_t Utf8SequenceLength(std::string_view text);

// Whether the one well-formed UTF-8 character `character` could make a terminal do something or show
// text other than it is: C0 controls and DEL, C1 controls (U+0080..U+009F), and the bidirectional
// marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069).
bool IsTerminalControl(std::string_view character);

// The longest line the message layer writes; longer ones are cut.
inline constexpr std::size_t kMaxMessageBytes = 8 * 1024;

// `text` with every terminal control escaped visibly (`\x1b` for bytes below 0x80, `\u009b` and
// `\u202e` for the others) and every byte of invalid UTF-8 as `\xff`, cut on a character boundary at
// `max_bytes` with "..." appended. The result holds no control characters, not even a newline.
std::string EscapeForTerminal(std::string_view text, std::size_t max_bytes = kMaxMessageBytes);

}  // namespace mpp
