// The wallet store: named key files under <data_dir>/keys, and which one is the default.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "util/error.h"
#include "util/secret.h"
#include "wallet/kdf.h"
#include "wallet/paths.h"

namespace mpp::wallet {

// One wallet as `wallet list` shows it; nothing here needs a password.
struct WalletInfo {
  std::string name;
  std::optional<crypto::Address> address;  // nullopt when the key file cannot be read (see `problem`)
  bool is_default = false;
  bool encrypted = true;
  std::string problem;  // why the key file could not be read; empty when it could
};

// How a new key file is protected.
struct KeyProtection {
  bool insecure_plaintext = false;        // --insecure-no-password: no encryption at all
  SecretString password;                  // used unless insecure_plaintext
  ScryptParams scrypt = kScryptStandard;  // kScryptLight for --light
};

// Supplies the password of the named wallet when (and only when) its key file is encrypted.
using PasswordProvider = std::function<Result<SecretString>(std::string_view wallet_name)>;

// Ok for 1 to 64 characters from [A-Za-z0-9._-] starting with a letter or digit (safe as a file name,
// no hidden files, no path separators). kUsage error otherwise.
Status ValidateWalletName(std::string_view name);

// "wallet 'NAME'", as messages name a wallet.
std::string QuotedWalletName(std::string_view name);

// All operations fail with kWallet errors that name the wallet and what to do, unless noted.
class WalletStore {
 public:
  explicit WalletStore(Paths paths) : paths_(std::move(paths)) {}

  const Paths& paths() const { return paths_; }
  // Where the key file of `name` lives (whether or not it exists).
  std::filesystem::path KeyFile(std::string_view name) const;

  // Every wallet, sorted by name. A damaged or unreadable key file is listed with `problem` set rather
  // than failing the listing. An absent store is an empty list.
  Result<std::vector<WalletInfo>> List() const;

  // Stores `key` as a new wallet (`wallet new`, `wallet import` of a hex key). Never replaces an existing
  // wallet. An encrypted file is read back and decrypted before success is reported, so a key is never
  // reported saved unless it can be recovered. The first wallet (or any, while no valid default exists)
  // becomes the default.
  Result<WalletInfo> Create(std::string_view name, const crypto::PrivateKey& key,
                            const KeyProtection& protection);

  // Stores an existing V3 keystore (`wallet import --keystore FILE`) after decrypting it with `password`
  // (so a wrong password or a keystore mpp cannot read is refused now, not at payment time). The stored
  // file is the keystore with its "address" field set to the key's address.
  Result<WalletInfo> ImportKeystore(std::string_view name, std::string_view keystore_json,
                                    const SecretString& password);

  // The wallet's address from its key file, without decrypting.
  Result<crypto::Address> AddressOf(std::string_view name) const;

  // The wallet's private key; `password` is asked only for an encrypted file. Refuses key files others
  // may read (with the chmod fix). A wrong password is "wrong password for wallet 'NAME'".
  Result<crypto::PrivateKey> Unlock(std::string_view name, const PasswordProvider& password) const;

  // The stored keystore JSON (`wallet export` without --yes-print-private-key). Refuses an unencrypted
  // wallet, which has no keystore: its key can only be exported as hex.
  Result<std::string> ExportKeystore(std::string_view name) const;

  // The default wallet's name, as recorded; nullopt when none is set. The named wallet may no longer
  // exist: callers report that.
  Result<std::optional<std::string>> DefaultName() const;

  // Makes an existing wallet the default (`wallet use NAME`).
  Status SetDefault(std::string_view name);

  // Moves the wallet's key file to <data_dir>/removed/NAME-<UTC time>.json (never deletes a key: it may
  // hold funds) and returns that path. Clears the default if it named this wallet.
  Result<std::filesystem::path> Remove(std::string_view name);

 private:
  Status Store(std::string_view name, std::string_view content);
  Status SetDefaultIfNone(std::string_view name);
  Result<WalletInfo> Describe(std::string_view name) const;

  Paths paths_;
};

}  // namespace mpp::wallet
