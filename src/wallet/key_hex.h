// Private keys as hex text: MPP_PRIVATE_KEY, `wallet import` from stdin, `wallet export`.
#pragma once

#include <string_view>

#include "crypto/secp256k1.h"
#include "util/error.h"
#include "util/secret.h"

namespace mpp::wallet {

// Parses 64 hex digits, optionally 0x-prefixed, ignoring surrounding ASCII whitespace. `what` names the
// source in messages ("MPP_PRIVATE_KEY"); the text itself is never echoed. kWallet error when the text is
// not 32 bytes of hex or not a valid secp256k1 scalar.
Result<crypto::PrivateKey> ParsePrivateKeyHex(std::string_view text, std::string_view what);

// "0x" + 64 lowercase hex digits, in a wiping string.
SecretString FormatPrivateKeyHex(const crypto::PrivateKey& key);

}  // namespace mpp::wallet
