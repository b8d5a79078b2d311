// secp256k1 keys and recoverable ECDSA through libsecp256k1 (RFC 6979 nonces, low-s).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "util/bytes.h"
#include "util/secret.h"

namespace mpp::crypto {

// Uncompressed public key without the 0x04 prefix: X || Y, 32 bytes each.
struct PublicKey {
  std::array<std::uint8_t, 64> xy{};
  friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

// A 65-byte recoverable signature. recovery_id is 0 or 1 (yParity); on the wire v = 27 + recovery_id.
struct RecoverableSignature {
  Hash32 r{};
  Hash32 s{};
  int recovery_id = 0;

  // r || s || v with v = 27/28, as Tempo's senderSignature and MPP proofs carry it.
  std::array<std::uint8_t, 65> ToRsv() const;
  // Accepts v as 27/28 or 0/1; refuses any other v, a wrong length, zero or out-of-range r or s.
  static std::optional<RecoverableSignature> FromRsv(ByteView rsv);

  friend bool operator==(const RecoverableSignature&, const RecoverableSignature&) = default;
};

// A private key; the scalar lives in a self-wiping buffer and is never printed.
class PrivateKey {
 public:
  // Refuses anything but 32 bytes encoding a scalar in [1, n-1].
  static std::optional<PrivateKey> FromBytes(ByteView bytes);
  // A fresh key from the OS CSPRNG (OpenSSL RAND_priv_bytes); nullopt only if the CSPRNG fails.
  static std::optional<PrivateKey> Generate();

  ByteView bytes() const { return key_.view(); }
  // Throws std::logic_error only if libsecp256k1 refuses a key this class checked (a broken invariant).
  PublicKey GetPublicKey() const;

 private:
  explicit PrivateKey(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

// Deterministic (RFC 6979) low-s recoverable signature of a 32-byte digest. Throws std::logic_error
// only if libsecp256k1 refuses to sign with a checked key (a broken invariant).
RecoverableSignature SignHash(const Hash32& digest, const PrivateKey& key);

// Sets up now what the first signature of a process would otherwise set up then: the signing
// context and OpenSSL's random generator seeding it (about 2 ms). Thread-safe; later calls do nothing.
void WarmUpSigning();

// The public key that produced `signature` over `digest`; nullopt when recovery fails.
std::optional<PublicKey> RecoverPublicKey(const Hash32& digest, const RecoverableSignature& signature);

}  // namespace mpp::crypto
