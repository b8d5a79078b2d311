// A wallet's key file: a V3 keystore, or mpp's unencrypted format, which says what it is in the file.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "util/error.h"
#include "util/secret.h"

namespace mpp::wallet {

enum class KeyFileKind { kKeystoreV3, kInsecurePlaintext };

// What can be learnt from a key file without a password.
struct KeyFileSummary {
  KeyFileKind kind = KeyFileKind::kKeystoreV3;
  std::optional<crypto::Address> address;  // absent when a keystore carries no "address" field
};

// Tells the two kinds apart and reads the address. kWallet error for anything else.
Result<KeyFileSummary> InspectKeyFile(std::string_view text);

// The unencrypted key file written for `--insecure-no-password`:
//   {"mpp_insecure_plaintext_key":1,"warning":"NOT ENCRYPTED: ...","address":"<40 hex>","private_key":"<64
//   hex>"}
// Built in a wiping buffer.
SecretString EncodeInsecurePlaintextKey(const crypto::PrivateKey& key);

// Supplies the password for a keystore; called only when the file is encrypted.
using PasswordCallback = std::function<Result<SecretString>()>;

// The private key in a key file of either kind. `what` names it in messages ("wallet 'main'"). Parses
// in place in a wiping copy, so no unwiped copy of a plaintext key is left in the heap. Errors as
// DecryptKeystore, plus the password callback's own, plus a plaintext file whose address does not match.
Result<crypto::PrivateKey> UnlockKeyFile(std::string_view text, const PasswordCallback& password,
                                         std::string_view what);

}  // namespace mpp::wallet
