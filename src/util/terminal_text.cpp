#include "util/terminal_text.h"

#include <cstdint>

namespace mpp {
namespace {

std::uint8_t Byte(std::string_view text, std::size_t i) { return static_cast<std::uint8_t>(text[i]); }

// The code point of one well-formed UTF-8 character.
char32_t Decode(std::string_view c) {
  switch (c.size()) {
    case 1:
      return Byte(c, 0);
    case 2:
      return (char32_t{Byte(c, 0)} & 0x1f) << 6 | (Byte(c, 1) & 0x3f);
    case 3:
      return (char32_t{Byte(c, 0)} & 0x0f) << 12 | (char32_t{Byte(c, 1)} & 0x3f) << 6 | (Byte(c, 2) & 0x3f);
    default:
      return (char32_t{Byte(c, 0)} & 0x07) << 18 | (char32_t{Byte(c, 1)} & 0x3f) << 12 |
             (char32_t{Byte(c, 2)} & 0x3f) << 6 | (Byte(c, 3) & 0x3f);
  }
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::size_t Utf8SequenceLength(std::string_view text) {
  if (text.empty()) return 0;
  auto continuation = [&](std::size_t i) { return i < text.size() && (Byte(text, i) & 0xc0) == 0x80; };
  const std::uint8_t b0 = Byte(text, 0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return continuation(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xe0 && Byte(text, 1) < 0xa0) return 0;   // overlong
    if (b0 == 0xed && Byte(text, 1) >= 0xa0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xf0 && Byte(text, 1) < 0x90) return 0;   // overlong
    if (b0 == 0xf4 && Byte(text, 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

bool IsTerminalControl(std::string_view character) {
  const char32_t cp = Decode(character);
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string EscapeForTerminal(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(text.size() < max_bytes ? text.size() : max_bytes);
  while (!text.empty()) {
    const std::size_t n = Utf8SequenceLength(text);
    std::string_view piece = text.substr(0, n == 0 ? 1 : n);
    std::string shown;
    if (n == 0 || (n == 1 && IsTerminalControl(piece))) {
      shown = {'\\', 'x', kHex[Byte(piece, 0) >> 4], kHex[Byte(piece, 0) & 0xf]};
    } else if (IsTerminalControl(piece)) {
      const char32_t cp = Decode(piece);
      shown = {'\\',          'u', kHex[(cp >> 12) & 0xf], kHex[(cp >> 8) & 0xf], kHex[(cp >> 4) & 0xf],
               kHex[cp & 0xf]};
    } else {
      shown = piece;
    }
    if (out.size() + shown.size() > max_bytes) {
      out += "...";
      break;
    }
    out += shown;
    text.remove_prefix(piece.size());
  }
  return out;
}

}  // namespace mpp
