#include "util/u256.h"

#include <algorithm>

namespace mpp {
namespace {
// GCC and Clang extension; __extension__ keeps -Wpedantic quiet about it.
__extension__ using Uint128 = unsigned __int128;
}  // namespace

U256 U256::Max() {
  U256 m;
  m.limbs_ = {~0ull, ~0ull, ~0ull, ~0ull};
  return m;
}

std::optional<U256> U256::FromDecimal(std::string_view text) {
  if (text.empty() || text.size() > 78) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  U256 v;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    auto times_ten = CheckedMul(v, 10);
    if (!times_ten) return std::nullopt;
    auto sum = CheckedAdd(*times_ten, U256(static_cast<std::uint64_t>(c - '0')));
    if (!sum) return std::nullopt;
    v = *sum;
  }
  return v;
}

std::optional<U256> U256::FromHexQuantity(std::string_view text) {
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  text.remove_prefix(2);
  if (text.size() > 64) return std::nullopt;
  U256 v;
  for (char c : text) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return std::nullopt;
    for (int i = 3; i > 0; --i) v.limbs_[i] = v.limbs_[i] << 4 | v.limbs_[i - 1] >> 60;
    v.limbs_[0] = v.limbs_[0] << 4 | static_cast<std::uint64_t>(d);
  }
  return v;
}

std::optional<U256> U256::FromBigEndian(ByteView bytes) {
  if (bytes.size() > 32) return std::nullopt;
  U256 v;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::size_t bit = (bytes.size() - 1 - i) * 8;
    v.limbs_[bit / 64] |= static_cast<std::uint64_t>(bytes[i]) << (bit % 64);
  }
  return v;
}

std::string U256::ToDecimal() const {
  if (IsZero()) return "0";
  std::string digits;
  U256 v = *this;
  while (!v.IsZero()) {
    std::uint64_t r = 0;
    v = v.DivSmall(10, &r);
    digits += static_cast<char>('0' + r);
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string U256::ToHexQuantity() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  bool started = false;
  for (int i = 63; i >= 0; --i) {
    int nibble = static_cast<int>(limbs_[i / 16] >> ((i % 16) * 4) & 0xf);
    if (nibble == 0 && !started) continue;
    started = true;
    out += kDigits[nibble];
  }
  if (!started) out += '0';
  return out;
}

std::array<std::uint8_t, 32> U256::ToBigEndian32() const {
  std::array<std::uint8_t, 32> out{};
  for (int i = 0; i < 32; ++i) {
    int bit = (31 - i) * 8;
    out[i] = static_cast<std::uint8_t>(limbs_[bit / 64] >> (bit % 64));
  }
  return out;
}

Bytes U256::ToBigEndianMinimal() const {
  auto full = ToBigEndian32();
  auto first = std::find_if(full.begin(), full.end(), [](std::uint8_t b) { return b != 0; });
  return Bytes(first, full.end());
}

std::optional<U256> U256::CheckedAdd(const U256& a, const U256& b) {
  U256 r;
  Uint128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    Uint128 s = static_cast<Uint128>(a.limbs_[i]) + b.limbs_[i] + carry;
    r.limbs_[i] = static_cast<std::uint64_t>(s);
    carry = s >> 64;
  }
  if (carry != 0) return std::nullopt;
  return r;
}

std::optional<U256> U256::CheckedSub(const U256& a, const U256& b) {
  if (a < b) return std::nullopt;
  U256 r;
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t ai = a.limbs_[i];
    std::uint64_t bi = b.limbs_[i];
    std::uint64_t d = ai - bi - borrow;
    borrow = (ai < bi || (ai - bi) < borrow) ? 1 : 0;
    r.limbs_[i] = d;
  }
  return r;
}

std::optional<U256> U256::CheckedMul(const U256& a, std::uint64_t b) {
  U256 r;
  Uint128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    Uint128 p = static_cast<Uint128>(a.limbs_[i]) * b + carry;
    r.limbs_[i] = static_cast<std::uint64_t>(p);
    carry = p >> 64;
  }
  if (carry != 0) return std::nullopt;
  return r;
}

U256 U256::DivSmall(std::uint64_t divisor, std::uint64_t* remainder) const {
  U256 q;
  Uint128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    Uint128 cur = rem << 64 | limbs_[i];
    q.limbs_[i] = static_cast<std::uint64_t>(cur / divisor);
    rem = cur % divisor;
  }
  if (remainder != nullptr) *remainder = static_cast<std::uint64_t>(rem);
  return q;
}

std::strong_ordering operator<=>(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
  }
  return std::strong_ordering::equal;
}

}  // namespace mpp
