#include "wallet/key_hex.h"

#include <optional>
#include <string>

#include "util/hex.h"

namespace mpp::wallet {

namespace {

std::string_view TrimAsciiSpace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

}  // namespace

Result<crypto::PrivateKey> ParsePrivateKeyHex(std::string_view text, std::string_view what) {
  std::string_view digits = TrimAsciiSpace(text);
  if (digits.size() == 66 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
    digits.remove_prefix(2);
  // Length first: util's decoder would free a wrong-length decoding without wiping it.
  std::optional<Bytes> bytes = digits.size() == 64 ? FromHexExact(digits, 32) : std::nullopt;
  if (!bytes) {
    return MakeError(ErrorKind::kWallet, std::string(what) +
                                             " is not a private key: expected 64 hex digits, optionally "
                                             "prefixed by 0x");
  }
  std::optional<crypto::PrivateKey> key = crypto::PrivateKey::FromBytes(*bytes);
  Wipe(*bytes);
  if (!key) {
    return MakeError(
        ErrorKind::kWallet,
        std::string(what) + " is not a valid secp256k1 private key (zero or not below the curve order)");
  }
  return std::move(*key);
}

SecretString FormatPrivateKeyHex(const crypto::PrivateKey& key) { return SecretString(ToHex(key.bytes())); }

}  // namespace mpp::wallet
