#include "wallet/keystore.h"
#include "util/json_depth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "crypto/address.h"
#include "crypto/keccak.h"
#include "util/hex.h"
#include "util/json_fields.h"
#include "util/random.h"

namespace mpp::wallet {

namespace {

constexpr std::size_t kDerivedKeyLength = 32;
constexpr std::size_t kSaltLength = 32;
constexpr std::size_t kIvLength = 16;
constexpr std::size_t kMaxDerivedKeyLength = 64;
constexpr std::size_t kMaxSaltLength = 1024;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

Error KeystoreError(std::string_view what, std::string_view problem) {
  return MakeError(ErrorKind::kWallet, "the keystore for " + std::string(what) + " " + std::string(problem));
}

// AES-128-CTR: the same operation encrypts and decrypts. `key16` is the derived key's first half.
Result<SecretBytes> Aes128Ctr(ByteView key16, ByteView iv, ByteView input) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  SecretBytes output(input.size());
  int produced = 0;
  int finished = 0;
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), EVP_aes_128_ctr(), key16.data(), iv.data(), nullptr) != 1 ||
      EVP_EncryptUpdate(ctx.get(), output.data(), &produced, input.data(), static_cast<int>(input.size())) !=
          1 ||
      EVP_EncryptFinal_ex(ctx.get(), output.data() + produced, &finished) != 1 ||
      static_cast<std::size_t>(produced) + static_cast<std::size_t>(finished) != input.size()) {
    return MakeError(ErrorKind::kWallet, "AES-128-CTR failed in OpenSSL");
  }
  return output;
}

// keccak256(derivedKey[16..32] || ciphertext), the V3 MAC.
Hash32 KeystoreMac(const SecretBytes& derived_key, ByteView ciphertext) {
  return crypto::Keccak256().Update(derived_key.view().subspan(16, 16)).Update(ciphertext).Finish();
}

std::string LowerHexAddressWithoutPrefix(const crypto::PrivateKey& key) {
  return crypto::Address::FromPublicKey(key.GetPublicKey()).ToLowerHex().substr(2);
}

// Derives the key the keystore's "kdf" and "kdfparams" describe.
Result<SecretBytes> DeriveKeystoreKey(const rapidjson::Value& crypto_section, const SecretString& password,
                                      std::string_view what) {
  const auto kdf = json::StringMember(crypto_section, "kdf");
  const rapidjson::Value* params = json::ObjectMember(crypto_section, "kdfparams");
  if (!kdf || params == nullptr) return KeystoreError(what, "has no \"kdf\" or \"kdfparams\"");
  const auto dklen = json::Uint64Member(*params, "dklen");
  if (!dklen || *dklen < kDerivedKeyLength || *dklen > kMaxDerivedKeyLength) {
    return KeystoreError(what, "has a missing or unsupported kdfparams.dklen (32 to 64 expected)");
  }
  const auto salt_hex = json::StringMember(*params, "salt");
  std::optional<Bytes> salt = salt_hex ? FromHex(*salt_hex) : std::nullopt;
  if (!salt || salt->empty() || salt->size() > kMaxSaltLength) {
    return KeystoreError(what, "has a missing or malformed kdfparams.salt");
  }
  const ByteView password_bytes = AsBytes(password.str());
  if (*kdf == "scrypt") {
    const auto n = json::Uint64Member(*params, "n");
    const auto r = json::Uint64Member(*params, "r");
    const auto p = json::Uint64Member(*params, "p");
    if (!n || !r || !p || *r > UINT32_MAX || *p > UINT32_MAX) {
      return KeystoreError(what, "has missing or malformed scrypt parameters n, r, p");
    }
    const ScryptParams scrypt{*n, static_cast<std::uint32_t>(*r), static_cast<std::uint32_t>(*p)};
    return DeriveScrypt(password_bytes, *salt, scrypt, *dklen);
  }
  if (*kdf == "pbkdf2") {
    const auto prf = json::StringMember(*params, "prf");
    const auto iterations = json::Uint64Member(*params, "c");
    if (!prf || *prf != "hmac-sha256") {
      return KeystoreError(
          what, "uses a PBKDF2 pseudo-random function other than hmac-sha256, which mpp does not support");
    }
    if (!iterations) return KeystoreError(what, "has a missing or malformed kdfparams.c");
    return DerivePbkdf2Sha256(password_bytes, *salt, *iterations, *dklen);
  }
  return KeystoreError(what, "uses kdf \"" + std::string(*kdf) + "\"; mpp supports scrypt and pbkdf2");
}

}  // namespace

std::optional<crypto::Address> ParseKeystoreAddress(std::string_view text) {
  if (text.size() == 40) return crypto::Address::Parse("0x" + std::string(text));
  return crypto::Address::Parse(text);
}

Result<std::string> EncryptKeystore(const crypto::PrivateKey& key, const SecretString& password,
                                    const ScryptParams& params) {
  const Bytes salt = RandomBytes(kSaltLength);
  const Bytes iv = RandomBytes(kIvLength);
  auto derived = DeriveScrypt(AsBytes(password.str()), salt, params, kDerivedKeyLength);
  if (!derived) return derived.error();
  auto ciphertext = Aes128Ctr(derived->view().subspan(0, 16), iv, key.bytes());
  if (!ciphertext) return ciphertext.error();
  const Hash32 mac = KeystoreMac(*derived, ciphertext->view());

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("address");
  writer.String(LowerHexAddressWithoutPrefix(key));
  writer.Key("crypto");
  writer.StartObject();
  writer.Key("cipher");
  writer.String("aes-128-ctr");
  writer.Key("ciphertext");
  writer.String(ToHex(ciphertext->view(), false));
  writer.Key("cipherparams");
  writer.StartObject();
  writer.Key("iv");
  writer.String(ToHex(iv, false));
  writer.EndObject();
  writer.Key("kdf");
  writer.String("scrypt");
  writer.Key("kdfparams");
  writer.StartObject();
  writer.Key("dklen");
  writer.Uint64(kDerivedKeyLength);
  writer.Key("n");
  writer.Uint64(params.n);
  writer.Key("p");
  writer.Uint(params.p);
  writer.Key("r");
  writer.Uint(params.r);
  writer.Key("salt");
  writer.String(ToHex(salt, false));
  writer.EndObject();
  writer.Key("mac");
  writer.String(ToHex(mac, false));
  writer.EndObject();
  writer.Key("id");
  writer.String(RandomUuid());
  writer.Key("version");
  writer.Uint(3);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<crypto::PrivateKey> DecryptKeystore(std::string_view json, const SecretString& password,
                                           std::string_view what) {
  rapidjson::Document document;
  if (!JsonNestingWithin(json)) return KeystoreError(what, "is not a keystore (nested too deeply)");
  document.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) return KeystoreError(what, "is not a JSON object");
  if (json::Uint64Member(document, "version") != std::optional<std::uint64_t>(3)) {
    return KeystoreError(what, "is not a version 3 (Web3 Secret Storage) keystore");
  }
  const rapidjson::Value* section = json::ObjectMember(document, "crypto");
  if (section == nullptr) section = json::ObjectMember(document, "Crypto");
  if (section == nullptr) return KeystoreError(what, "has no \"crypto\" section");

  const auto cipher = json::StringMember(*section, "cipher");
  if (!cipher || *cipher != "aes-128-ctr") {
    return KeystoreError(
        what, "uses cipher \"" + std::string(cipher.value_or("")) + "\"; mpp supports aes-128-ctr");
  }
  const rapidjson::Value* cipher_params = json::ObjectMember(*section, "cipherparams");
  const auto iv_hex = cipher_params ? json::StringMember(*cipher_params, "iv") : std::nullopt;
  const std::optional<Bytes> iv = iv_hex ? FromHexExact(*iv_hex, kIvLength) : std::nullopt;
  if (!iv)
    return KeystoreError(what, "has a missing or malformed cipherparams.iv (16 bytes of hex expected)");
  const auto ciphertext_hex = json::StringMember(*section, "ciphertext");
  const std::optional<Bytes> ciphertext = ciphertext_hex ? FromHex(*ciphertext_hex) : std::nullopt;
  if (!ciphertext || ciphertext->empty() || ciphertext->size() > 32) {
    return KeystoreError(what, "has a missing or malformed ciphertext (up to 32 bytes of hex expected)");
  }
  const auto mac_hex = json::StringMember(*section, "mac");
  const std::optional<Bytes> mac = mac_hex ? FromHexExact(*mac_hex, 32) : std::nullopt;
  if (!mac) return KeystoreError(what, "has a missing or malformed mac (32 bytes of hex expected)");
  // geth and ethers derive the address from the key; some writers leave it empty, or out.
  auto address_text = json::StringMember(document, "address");
  if (address_text && address_text->empty()) address_text.reset();
  const std::optional<crypto::Address> claimed =
      address_text ? ParseKeystoreAddress(*address_text) : std::nullopt;
  if (address_text && !claimed) return KeystoreError(what, "has a malformed \"address\"");

  auto derived = DeriveKeystoreKey(*section, password, what);
  if (!derived) return derived.error();
  const Hash32 expected_mac = KeystoreMac(*derived, *ciphertext);
  if (CRYPTO_memcmp(expected_mac.data(), mac->data(), expected_mac.size()) != 0) {
    return MakeError(ErrorKind::kWallet, "wrong password for " + std::string(what));
  }
  auto plaintext = Aes128Ctr(derived->view().subspan(0, 16), *iv, *ciphertext);
  if (!plaintext) return plaintext.error();
  // Some writers drop leading zero bytes of the key; it is a big-endian number, so pad on the left.
  SecretBytes scalar(32);
  std::copy(plaintext->view().begin(), plaintext->view().end(), scalar.data() + (32 - plaintext->size()));
  std::optional<crypto::PrivateKey> key = crypto::PrivateKey::FromBytes(scalar.view());
  if (!key) return KeystoreError(what, "decrypts to something that is not a valid secp256k1 private key");
  if (claimed && crypto::Address::FromPublicKey(key->GetPublicKey()) != *claimed) {
    return KeystoreError(what,
                         "names address " + claimed->ToChecksumHex() +
                             ", but its key belongs to another address; the file is damaged or was edited");
  }
  return std::move(*key);
}

}  // namespace mpp::wallet
