#include "util/hex.h"

#include <algorithm>

namespace mpp {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ToHex(ByteView bytes, bool prefix) {
  std::string out;
  out.reserve(bytes.size() * 2 + 2);
  if (prefix) out += "0x";
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

std::optional<Bytes> FromHex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.size() % 2 != 0) return std::nullopt;
  Bytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = Nibble(text[2 * i]);
    int lo = Nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::optional<Bytes> FromHexExact(std::string_view text, std::size_t size) {
  auto bytes = FromHex(text);
  if (!bytes || bytes->size() != size) return std::nullopt;
  return bytes;
}

std::optional<Hash32> Hash32FromHex(std::string_view text) {
  auto bytes = FromHexExact(text, 32);
  if (!bytes) return std::nullopt;
  Hash32 out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace mpp
