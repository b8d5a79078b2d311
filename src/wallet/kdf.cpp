#include "wallet/kdf.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <limits>
#include <memory>
#include <string>

namespace mpp::wallet {

namespace {

struct KdfFree {
  void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
};
struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

constexpr std::uint64_t kUint64Max = std::numeric_limits<std::uint64_t>::max();

// OpenSSL's error queue as one line, and the queue emptied.
std::string OpenSslErrors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "no details" : text;
}

// Runs the named OpenSSL KDF with `params` into a fresh secret of `length` bytes.
Result<SecretBytes> RunKdf(const char* name, OSSL_PARAM* params, std::size_t length) {
  std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, name, nullptr));
  if (!kdf)
    return MakeError(ErrorKind::kWallet, std::string("OpenSSL has no ") + name + ": " + OpenSslErrors());
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx)
    return MakeError(ErrorKind::kWallet, "cannot allocate an OpenSSL KDF context: " + OpenSslErrors());
  SecretBytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    return MakeError(ErrorKind::kWallet,
                     std::string(name) + " key derivation failed in OpenSSL: " + OpenSslErrors());
  }
  return out;
}

// OSSL_PARAM wants a non-null pointer even for an empty password.
void* OctetPointer(ByteView bytes) {
  static unsigned char empty = 0;
  return bytes.empty() ? &empty : const_cast<std::uint8_t*>(bytes.data());
}

}  // namespace

std::uint64_t ScryptMemoryBytes(const ScryptParams& params) {
  // OpenSSL allocates 128*r*p bytes for B and 128*r*(n+2) for V.
  const std::uint64_t block = std::uint64_t{128} * params.r;
  if (params.n > kUint64Max - 2 - params.p) return kUint64Max;
  const std::uint64_t blocks = params.n + 2 + params.p;
  if (block != 0 && blocks > kUint64Max / block) return kUint64Max;
  return block * blocks;
}

Status CheckScryptParams(const ScryptParams& params) {
  const std::string given = " (n=" + std::to_string(params.n) + ", r=" + std::to_string(params.r) +
                            ", p=" + std::to_string(params.p) + ")";
  if (params.n < 2 || (params.n & (params.n - 1)) != 0) {
    return MakeError(ErrorKind::kWallet,
                     "invalid scrypt parameters" + given + ": n must be a power of two above 1");
  }
  if (params.r == 0 || params.p == 0) {
    return MakeError(ErrorKind::kWallet,
                     "invalid scrypt parameters" + given + ": r and p must be at least 1");
  }
  // RFC 7914 section 2: N < 2^(128 * r / 8). OpenSSL enforces it; some published keystores ignore it.
  const std::uint64_t log2_limit = std::uint64_t{16} * params.r;
  if (log2_limit < 64 && params.n >= (std::uint64_t{1} << log2_limit)) {
    return MakeError(
        ErrorKind::kWallet,
        "the keystore's scrypt parameters break RFC 7914" + given +
            ": n must be below 2^(16*r) = " + std::to_string(std::uint64_t{1} << log2_limit) +
            ", so OpenSSL (and therefore mpp) cannot decrypt it. Decrypt it with the tool that made "
            "it and import the raw key with `mpp wallet import`, or re-encrypt it with standard "
            "parameters (n=262144, r=8, p=1)");
  }
  if (std::uint64_t{params.r} * params.p >= (std::uint64_t{1} << 30)) {
    return MakeError(ErrorKind::kWallet, "invalid scrypt parameters" + given + ": r * p must be below 2^30");
  }
  const std::uint64_t memory = ScryptMemoryBytes(params);
  if (memory > kMaxScryptMemoryBytes) {
    return MakeError(ErrorKind::kWallet, "the keystore's scrypt parameters" + given + " need " +
                                             (memory == kUint64Max ? std::string("more than 2^64 bytes")
                                                                   : std::to_string(memory >> 20) + " MiB") +
                                             " of memory, more than the " +
                                             std::to_string(kMaxScryptMemoryBytes >> 20) + " MiB mpp allows");
  }
  return {};
}

Result<SecretBytes> DeriveScrypt(ByteView password, ByteView salt, const ScryptParams& params,
                                 std::size_t length) {
  if (auto valid = CheckScryptParams(params); !valid) return valid.error();
  std::uint64_t n = params.n;
  std::uint32_t r = params.r;
  std::uint32_t p = params.p;
  // Headroom above our own estimate, in case OpenSSL's accounting differs slightly between versions.
  std::uint64_t max_memory = ScryptMemoryBytes(params) + (std::uint64_t{1} << 20);
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, OctetPointer(password), password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, OctetPointer(salt), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_memory),
      OSSL_PARAM_construct_end(),
  };
  return RunKdf(OSSL_KDF_NAME_SCRYPT, ossl_params, length);
}

Result<SecretBytes> DerivePbkdf2Sha256(ByteView password, ByteView salt, std::uint64_t iterations,
                                       std::size_t length) {
  if (iterations == 0 || iterations > kMaxPbkdf2Iterations) {
    return MakeError(ErrorKind::kWallet, "the keystore asks for " + std::to_string(iterations) +
                                             " PBKDF2 iterations; mpp accepts 1 to " +
                                             std::to_string(kMaxPbkdf2Iterations));
  }
  char digest[] = "SHA256";
  int pkcs5 = 1;  // keystores predate SP 800-132's lower bounds; do not let OpenSSL impose them
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, OctetPointer(password), password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, OctetPointer(salt), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iterations),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5),
      OSSL_PARAM_construct_end(),
  };
  return RunKdf(OSSL_KDF_NAME_PBKDF2, ossl_params, length);
}

}  // namespace mpp::wallet
