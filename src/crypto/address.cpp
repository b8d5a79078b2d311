#include "crypto/address.h"

#include <algorithm>

#include "crypto/keccak.h"
#include "util/hex.h"

namespace mpp::crypto {
namespace {

// Applies EIP-55 to 40 lowercase hex digits: a letter is uppercased where the matching nibble of
// keccak256(lowercase digits) is 8 or more.
std::string Checksum(std::string_view lower_digits) {
  Hash32 hash = Keccak256Hash(AsBytes(lower_digits));
  std::string out(lower_digits);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
    if (out[i] >= 'a' && out[i] <= 'f' && nibble >= 8) out[i] = static_cast<char>(out[i] - 'a' + 'A');
  }
  return out;
}

}  // namespace

Address Address::FromPublicKey(const PublicKey& key) {
  Hash32 hash = Keccak256Hash(key.xy);
  Address out;
  std::copy(hash.begin() + 12, hash.end(), out.bytes.begin());
  return out;
}

std::optional<Address> Address::Parse(std::string_view text) {
  if (text.size() != 42 || text[0] != '0' || text[1] != 'x') return std::nullopt;
  std::string_view digits = text.substr(2);
  auto bytes = FromHexExact(digits, 20);
  if (!bytes) return std::nullopt;
  Address out;
  std::copy(bytes->begin(), bytes->end(), out.bytes.begin());
  bool has_lower = std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'a' && c <= 'f'; });
  bool has_upper = std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  if (has_lower && has_upper && Checksum(ToHex(out.bytes, false)) != digits) return std::nullopt;
  return out;
}

std::string Address::ToChecksumHex() const { return "0x" + Checksum(ToHex(bytes, false)); }

std::string Address::ToLowerHex() const { return ToHex(bytes); }

}  // namespace mpp::crypto
