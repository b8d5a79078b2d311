// Password-based key derivation for keystores: scrypt (RFC 7914) and PBKDF2-HMAC-SHA256, via OpenSSL 3.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/bytes.h"
#include "util/error.h"
#include "util/secret.h"

namespace mpp::wallet {

struct ScryptParams {
  std::uint64_t n = 0;  // CPU/memory cost, a power of two
  std::uint32_t r = 0;  // block size
  std::uint32_t p = 0;  // parallelism
};

// geth's StandardScryptN/P (what `geth account new` and `cast wallet new` write): ~256 MiB, ~1 s.
inline constexpr ScryptParams kScryptStandard{262144, 8, 1};
// geth's LightScryptN/P (`--light`): 4 MiB.
inline constexpr ScryptParams kScryptLight{4096, 8, 6};

// The most memory a keystore's scrypt parameters may ask for: enough for n = 2^20, r = 8.
inline constexpr std::uint64_t kMaxScryptMemoryBytes = (std::uint64_t{1} << 30) + (std::uint64_t{1} << 20);
// The most PBKDF2 iterations a keystore may ask for (the published vector uses 262144).
inline constexpr std::uint64_t kMaxPbkdf2Iterations = 10'000'000;

// Bytes of memory scrypt needs for `params`: 128 * r * (n + p + 2), or UINT64_MAX when that overflows.
std::uint64_t ScryptMemoryBytes(const ScryptParams& params);

// Ok when OpenSSL can run scrypt with `params` within kMaxScryptMemoryBytes. Otherwise a kWallet error
// that says plainly what is wrong: n not a power of two above 1, r or p zero, r * p >= 2^30, n at or above
// 2^(16 r) (the RFC 7914 rule OpenSSL enforces, which the published r = 1 keystore example breaks), or too
// much memory.
Status CheckScryptParams(const ScryptParams& params);

// scrypt(password, salt, params) -> `length` bytes. Runs CheckScryptParams first.
Result<SecretBytes> DeriveScrypt(ByteView password, ByteView salt, const ScryptParams& params,
                                 std::size_t length);

// PBKDF2-HMAC-SHA256(password, salt, iterations) -> `length` bytes. Refuses 0 or more than
// kMaxPbkdf2Iterations iterations.
Result<SecretBytes> DerivePbkdf2Sha256(ByteView password, ByteView salt, std::uint64_t iterations,
                                       std::size_t length);

}  // namespace mpp::wallet
