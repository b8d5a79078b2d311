#include "util/text.h"

#include <algorithm>

#include <cstdint>

#include "util/terminal_text.h"

namespace mpp {

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
    bool replace = n == 0 || IsTerminalControl(piece);
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

namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return LowerAscii(x) == LowerAscii(y); });
}

}  // namespace mpp
