// Keccak-256 as Ethereum and Tempo use it: the original Keccak padding (0x01), not SHA3-256 (0x06).
// Written here because OpenSSL 3.0 has no Keccak-256.
#pragma once

#include <array>
#include <cstdint>

#include "util/bytes.h"

namespace mpp::crypto {

// Incremental hasher: Update any number of times, then Finish once.
class Keccak256 {
 public:
  Keccak256();
  Keccak256& Update(ByteView data);
  Hash32 Finish();

 private:
  void AbsorbBlock(const std::uint8_t* block);
  std::array<std::uint64_t, 25> state_{};
  std::array<std::uint8_t, 136> buffer_{};
  std::size_t buffered_ = 0;
};

// One-shot keccak256(data).
Hash32 Keccak256Hash(ByteView data);

}  // namespace mpp::crypto
