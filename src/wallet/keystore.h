// Web3 Secret Storage ("V3") keystores, the encrypted key files geth, Foundry (`cast wallet`) and
// ethers read and write.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "util/error.h"
#include "util/secret.h"
#include "wallet/kdf.h"

namespace mpp::wallet {

// The keystore JSON for `key` under `password` (its UTF-8 bytes, unnormalized, as geth uses them):
// scrypt with `params` over a random 32-byte salt, dklen 32; AES-128-CTR with a random IV under the
// derived key's first 16 bytes; mac = keccak256(derivedKey[16..32] || ciphertext); a random UUID v4 id;
// and the address as lowercase hex without 0x, field for field as geth writes it. Fails (kWallet) only
// when OpenSSL fails or `params` are refused by CheckScryptParams.
Result<std::string> EncryptKeystore(const crypto::PrivateKey& key, const SecretString& password,
                                    const ScryptParams& params = kScryptStandard);

// The private key in a V3 keystore: kdf "scrypt" or "pbkdf2" (prf hmac-sha256), cipher "aes-128-ctr",
// "crypto" or geth's legacy "Crypto". `what` names the key in messages ("wallet 'main'"). kWallet errors:
// malformed or unsupported keystores (naming the field), scrypt parameters OpenSSL cannot run (see
// CheckScryptParams), "wrong password for <what>" when the MAC differs (compared in constant time; a
// damaged ciphertext reads the same), and an "address" field that does not belong to the decrypted key
// (an empty or missing "address" is fine: the key decides).
Result<crypto::PrivateKey> DecryptKeystore(std::string_view json, const SecretString& password,
                                           std::string_view what);

// An address as keystores write it: 40 hex digits with or without 0x (geth omits it). Mixed case must
// carry a valid EIP-55 checksum. nullopt when malformed.
std::optional<crypto::Address> ParseKeystoreAddress(std::string_view text);

}  // namespace mpp::wallet
