#include "mpp/text.h"

#include <cstdint>

namespace mpp {
namespace {

// Length of the well-formed UTF-8 sequence at the start of `text`, or 0 if there is none
// (RFC 3629 table: exact second-byte ranges rule out overlongs and surrogates).
std::size_t Utf8SequenceLength(std::string_view text) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  auto continuation = [&](std::size_t i) { return i < text.size() && (byte(i) & 0xc0) == 0x80; };
  std::uint8_t b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return continuation(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xe0 && byte(1) < 0xa0) return 0;   // overlong
    if (b0 == 0xed && byte(1) >= 0xa0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xf0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xf4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  while (!text.empty()) {
    std::size_t n = Utf8SequenceLength(text);
    if (n == 0) return false;
    text.remove_prefix(n);
  }
  return true;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

std::string DisplayText(std::string_view untrusted, std::size_t max_bytes) {
  std::string out;
  out.reserve(untrusted.size() < max_bytes ? untrusted.size() : max_bytes);
  while (!untrusted.empty()) {
    std::size_t n = Utf8SequenceLength(untrusted);
    std::string_view piece = untrusted.substr(0, n == 0 ? 1 : n);
    bool replace = n == 0;
    if (n == 1) {
      auto c = static_cast<std::uint8_t>(piece[0]);
      replace = c < 0x20 || c == 0x7f;
    } else if (n == 2) {
      // C1 controls U+0080..U+009F are encoded as 0xc2 0x80..0x9f; some terminals obey them.
      replace = static_cast<std::uint8_t>(piece[0]) == 0xc2 && static_cast<std::uint8_t>(piece[1]) < 0xa0;
    } else if (n == 3) {
      // Bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) can make printed text
      // read differently from what it is.
      auto b1 = static_cast<std::uint8_t>(piece[1]);
      auto b2 = static_cast<std::uint8_t>(piece[2]);
      replace = static_cast<std::uint8_t>(piece[0]) == 0xe2 &&
                ((b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9));
    }
    std::size_t added = replace ? 1 : piece.size();
    if (out.size() + added > max_bytes) {
      out += "...";
      break;
    }
    if (replace) {
      out += '?';
    } else {
      out += piece;
    }
    untrusted.remove_prefix(piece.size());
  }
  return out;
}

}  // namespace mpp
