// 20-byte account addresses and their EIP-55 checksummed text form.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/secp256k1.h"

namespace mpp::crypto {

struct Address {
  std::array<std::uint8_t, 20> bytes{};

  // Last 20 bytes of keccak256(X || Y).
  static Address FromPublicKey(const PublicKey& key);
  // "0x" + 40 hex digits. All-lowercase and all-uppercase are accepted as they are; mixed case must
  // carry a correct EIP-55 checksum, or it is refused.
  static std::optional<Address> Parse(std::string_view text);

  std::string ToChecksumHex() const;  // EIP-55, "0x"-prefixed
  std::string ToLowerHex() const;     // "0x"-prefixed lowercase

  friend bool operator==(const Address&, const Address&) = default;
  friend auto operator<=>(const Address&, const Address&) = default;
};

}  // namespace mpp::crypto
