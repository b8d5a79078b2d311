// Which key pays: MPP_PRIVATE_KEY, else --wallet / MPP_WALLET, else the default wallet.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/secp256k1.h"
#include "util/error.h"
#include "wallet/env.h"
#include "wallet/store.h"

namespace mpp::wallet {

// The name of the wallet to use: `wallet_flag` (--wallet) if given, else MPP_WALLET if set and non-empty,
// else the default wallet. kWallet errors say what to do: no wallets at all (new / import / set
// MPP_PRIVATE_KEY), no default among several (`mpp wallet use NAME`), a named or default wallet that does
// not exist. kUsage for an invalid name.
Result<std::string> ResolveWalletName(const WalletStore& store, const EnvLookup& env,
                                      std::optional<std::string_view> wallet_flag);

struct SigningKey {
  crypto::PrivateKey key;
  std::string origin;  // "MPP_PRIVATE_KEY" or "wallet 'NAME'", for -v output and messages
};

// The key for a paying command: MPP_PRIVATE_KEY (hex, used as given and never stored) when set and
// non-empty, otherwise the wallet ResolveWalletName picks, unlocked with `password`. Every failure
// (missing, malformed or undecryptable key) is kWallet, exit 6, with what to do.
Result<SigningKey> ResolveSigningKey(const WalletStore& store, const EnvLookup& env,
                                     std::optional<std::string_view> wallet_flag,
                                     const PasswordProvider& password);

}  // namespace mpp::wallet
