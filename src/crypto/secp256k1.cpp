#include "crypto/secp256k1.h"

#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <stdexcept>

namespace mpp::crypto {
namespace {

// The group order n, big-endian.
constexpr Hash32 kOrder = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                           0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                           0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

// The one signing context of the process: created and randomized once (blinding against side
// channels), then only used through const pointers, which libsecp256k1 allows from any thread.
class Context {
 public:
  Context() : ctx_(secp256k1_context_create(SECP256K1_CONTEXT_NONE)) {
    std::array<unsigned char, 32> seed{};
    if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) == 1) {
      int randomized = secp256k1_context_randomize(ctx_, seed.data());
      (void)randomized;  // without blinding signing is still correct, only less hardened
    }
    Wipe(seed.data(), seed.size());
  }
  ~Context() { secp256k1_context_destroy(ctx_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const secp256k1_context* get() const { return ctx_; }

 private:
  secp256k1_context* ctx_;
};

const secp256k1_context* Ctx() {
  static const Context context;
  return context.get();
}

bool IsZero(const Hash32& v) {
  return std::all_of(v.begin(), v.end(), [](std::uint8_t b) { return b == 0; });
}

bool BelowOrder(const Hash32& v) {
  return std::lexicographical_compare(v.begin(), v.end(), kOrder.begin(), kOrder.end());
}

PublicKey Serialize(const secp256k1_pubkey& pubkey) {
  std::array<unsigned char, 65> full{};
  std::size_t size = full.size();
  secp256k1_ec_pubkey_serialize(Ctx(), full.data(), &size, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  PublicKey out;
  std::copy(full.begin() + 1, full.end(), out.xy.begin());  // drop the 0x04 prefix
  return out;
}

}  // namespace

void WarmUpSigning() { (void)Ctx(); }

std::array<std::uint8_t, 65> RecoverableSignature::ToRsv() const {
  std::array<std::uint8_t, 65> out{};
  std::copy(r.begin(), r.end(), out.begin());
  std::copy(s.begin(), s.end(), out.begin() + 32);
  out[64] = static_cast<std::uint8_t>(27 + recovery_id);
  return out;
}

std::optional<RecoverableSignature> RecoverableSignature::FromRsv(ByteView rsv) {
  if (rsv.size() != 65) return std::nullopt;
  RecoverableSignature sig;
  std::copy_n(rsv.begin(), 32, sig.r.begin());
  std::copy_n(rsv.begin() + 32, 32, sig.s.begin());
  std::uint8_t v = rsv[64];
  if (v == 0 || v == 1) {
    sig.recovery_id = v;
  } else if (v == 27 || v == 28) {
    sig.recovery_id = v - 27;
  } else {
    return std::nullopt;
  }
  if (IsZero(sig.r) || IsZero(sig.s) || !BelowOrder(sig.r) || !BelowOrder(sig.s)) return std::nullopt;
  return sig;
}

std::optional<PrivateKey> PrivateKey::FromBytes(ByteView bytes) {
  if (bytes.size() != 32) return std::nullopt;
  SecretBytes key(bytes);
  if (secp256k1_ec_seckey_verify(Ctx(), key.data()) != 1) return std::nullopt;
  return PrivateKey(std::move(key));
}

std::optional<PrivateKey> PrivateKey::Generate() {
  // A uniform 32-byte string is out of range with probability about 2^-128; retry a few times.
  for (int attempt = 0; attempt < 8; ++attempt) {
    SecretBytes key(32);
    if (RAND_priv_bytes(key.data(), static_cast<int>(key.size())) != 1) return std::nullopt;
    if (secp256k1_ec_seckey_verify(Ctx(), key.data()) == 1) return PrivateKey(std::move(key));
  }
  return std::nullopt;
}

PublicKey PrivateKey::GetPublicKey() const {
  secp256k1_pubkey pubkey;
  // Fails only for a key outside [1, n-1], which a PrivateKey cannot hold: a broken invariant, not an
  // input error, so it surfaces as "unexpected" at the top instead of an address of garbage.
  if (secp256k1_ec_pubkey_create(Ctx(), &pubkey, key_.data()) != 1) {
    throw std::logic_error("secp256k1 refused a private key that passed its range check");
  }
  return Serialize(pubkey);
}

RecoverableSignature SignHash(const Hash32& digest, const PrivateKey& key) {
  secp256k1_ecdsa_recoverable_signature sig;
  // Null nonce function: the default, RFC 6979. libsecp256k1 always produces low-s signatures.
  // Fails only for an invalid key, which PrivateKey cannot hold; never return an unset signature.
  if (secp256k1_ecdsa_sign_recoverable(Ctx(), &sig, digest.data(), key.bytes().data(), nullptr, nullptr) !=
      1) {
    throw std::logic_error("secp256k1 could not sign with a private key that passed its range check");
  }
  std::array<unsigned char, 64> rs{};
  RecoverableSignature out;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(Ctx(), rs.data(), &out.recovery_id, &sig);
  std::copy_n(rs.begin(), 32, out.r.begin());
  std::copy_n(rs.begin() + 32, 32, out.s.begin());
  return out;
}

std::optional<PublicKey> RecoverPublicKey(const Hash32& digest, const RecoverableSignature& signature) {
  if (signature.recovery_id < 0 || signature.recovery_id > 3) return std::nullopt;
  std::array<unsigned char, 64> rs{};
  std::copy(signature.r.begin(), signature.r.end(), rs.begin());
  std::copy(signature.s.begin(), signature.s.end(), rs.begin() + 32);
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(Ctx(), &sig, rs.data(), signature.recovery_id) !=
      1) {
    return std::nullopt;
  }
  secp256k1_pubkey pubkey;
  if (secp256k1_ecdsa_recover(Ctx(), &pubkey, &sig, digest.data()) != 1) return std::nullopt;
  return Serialize(pubkey);
}

}  // namespace mpp::crypto
