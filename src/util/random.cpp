#include "util/random.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "util/hex.h"

namespace mpp {

Bytes RandomBytes(std::size_t size) {
  Bytes out(size);
  if (size > 0 && RAND_bytes(out.data(), static_cast<int>(size)) != 1) std::abort();
  return out;
}

std::string RandomUuid() {
  Bytes b = RandomBytes(16);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  std::string hex = ToHex(b, false);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace mpp
