#include "crypto/keccak.h"

#include <algorithm>
#include <bit>

namespace mpp::crypto {
namespace {

constexpr std::size_t kRate = 136;  // 1600 - 2 * 256 bits, in bytes
constexpr std::size_t kRateLanes = kRate / 8;

constexpr std::array<std::uint64_t, 24> kRoundConstants = {
    0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000, 0x000000000000808b,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008a, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000a, 0x000000008000808b, 0x800000000000008b, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
};

// Rotation offsets for the rho step, indexed by lane x + 5 * y.
constexpr std::array<int, 25> kRho = {
    0,  1,  62, 28, 27,  //
    36, 44, 6,  55, 20,  //
    3,  10, 43, 25, 39,  //
    41, 45, 15, 21, 8,   //
    18, 2,  61, 56, 14,
};

void KeccakF1600(std::array<std::uint64_t, 25>& a) {
  for (std::uint64_t round_constant : kRoundConstants) {
    // theta
    std::array<std::uint64_t, 5> c{};
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; ++x) {
      std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    // rho and pi: lane (x, y) moves to (y, 2x + 3y).
    std::array<std::uint64_t, 25> b{};
    for (int x = 0; x < 5; ++x) {
      for (int y = 0; y < 5; ++y) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = std::rotl(a[x + 5 * y], kRho[x + 5 * y]);
      }
    }
    // chi
    for (int y = 0; y < 25; y += 5) {
      for (int x = 0; x < 5; ++x) a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
    }
    // iota
    a[0] ^= round_constant;
  }
}

std::uint64_t LoadLittleEndian64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

}  // namespace

Keccak256::Keccak256() = default;

void Keccak256::AbsorbBlock(const std::uint8_t* block) {
  for (std::size_t i = 0; i < kRateLanes; ++i) state_[i] ^= LoadLittleEndian64(block + 8 * i);
  KeccakF1600(state_);
}

Keccak256& Keccak256::Update(ByteView data) {
  std::size_t pos = 0;
  if (buffered_ > 0) {
    std::size_t take = std::min(kRate - buffered_, data.size());
    std::copy_n(data.begin(), take, buffer_.begin() + static_cast<std::ptrdiff_t>(buffered_));
    buffered_ += take;
    pos = take;
    if (buffered_ < kRate) return *this;
    AbsorbBlock(buffer_.data());
    buffered_ = 0;
  }
  for (; data.size() - pos >= kRate; pos += kRate) AbsorbBlock(data.data() + pos);
  std::copy(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end(), buffer_.begin());
  buffered_ = data.size() - pos;
  return *this;
}

Hash32 Keccak256::Finish() {
  // Original Keccak padding: 0x01 after the message, 0x80 in the last byte of the block.
  std::fill(buffer_.begin() + static_cast<std::ptrdiff_t>(buffered_), buffer_.end(), 0);
  buffer_[buffered_] = 0x01;
  buffer_[kRate - 1] |= 0x80;
  AbsorbBlock(buffer_.data());
  Hash32 out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(state_[i / 8] >> (8 * (i % 8)));
  // Leave the hasher ready for a new message rather than in a spent state.
  state_.fill(0);
  buffer_.fill(0);
  buffered_ = 0;
  return out;
}

Hash32 Keccak256Hash(ByteView data) { return Keccak256().Update(data).Finish(); }

}  // namespace mpp::crypto
