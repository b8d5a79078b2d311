// An unsigned 256-bit integer: token amounts, gas values and RLP/ABI integers.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace mpp {

class U256 {
 public:
  constexpr U256() = default;
  constexpr U256(std::uint64_t v) : limbs_{v, 0, 0, 0} {}  // NOLINT: implicit from small integers

  static U256 Max();

  // Plain decimal digits only ("0", "5000"): no sign, no spaces, no exponent, no leading zeros
  // except "0" itself. nullopt when malformed or above 2^256-1.
  static std::optional<U256> FromDecimal(std::string_view text);
  // "0x"-prefixed hex quantity, as JSON-RPC returns it ("0x0", "0x1bc"); up to 64 digits.
  static std::optional<U256> FromHexQuantity(std::string_view text);
  // Big-endian bytes, at most 32.
  static std::optional<U256> FromBigEndian(ByteView bytes);

  std::string ToDecimal() const;
  std::string ToHexQuantity() const;  // "0x0", "0x1bc"
  std::array<std::uint8_t, 32> ToBigEndian32() const;
  Bytes ToBigEndianMinimal() const;  // no leading zero bytes; empty for 0

  bool IsZero() const { return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
  bool FitsUint64() const { return (limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
  std::uint64_t Low64() const { return limbs_[0]; }

  // Arithmetic that reports overflow instead of wrapping.
  static std::optional<U256> CheckedAdd(const U256& a, const U256& b);
  static std::optional<U256> CheckedSub(const U256& a, const U256& b);
  static std::optional<U256> CheckedMul(const U256& a, std::uint64_t b);
  // a + b, or U256::Max() when that overflows (totals of amounts, where "more than anything" is enough).
  static U256 SaturatingAdd(const U256& a, const U256& b) { return CheckedAdd(a, b).value_or(Max()); }
  // Quotient and remainder by a small divisor (non-zero).
  U256 DivSmall(std::uint64_t divisor, std::uint64_t* remainder) const;

  friend bool operator==(const U256& a, const U256& b) = default;
  friend std::strong_ordering operator<=>(const U256& a, const U256& b);

 private:
  std::array<std::uint64_t, 4> limbs_{};  // little-endian limbs
};

}  // namespace mpp
