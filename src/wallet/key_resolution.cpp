#include "wallet/key_resolution.h"

#include "wallet/key_hex.h"

namespace mpp::wallet {

namespace {

Result<std::string> CheckedName(const WalletStore& store, std::string_view name, std::string_view source) {
  if (auto valid = ValidateWalletName(name); !valid) return valid.error();
  auto address = store.AddressOf(name);  // cheap existence and readability check, no password
  if (!address) {
    return MakeError(ErrorKind::kWallet, address.error().message + " (named by " + std::string(source) + ")");
  }
  return std::string(name);
}

}  // namespace

Result<std::string> ResolveWalletName(const WalletStore& store, const EnvLookup& env,
                                      std::optional<std::string_view> wallet_flag) {
  if (wallet_flag) return CheckedName(store, *wallet_flag, "--wallet");
  if (const char* from_env = env("MPP_WALLET"); from_env != nullptr && *from_env != '\0') {
    return CheckedName(store, from_env, "MPP_WALLET");
  }
  auto default_name = store.DefaultName();
  if (!default_name) return default_name.error();
  if (*default_name)
    return CheckedName(store, **default_name, "the default wallet; pick another with `mpp wallet use NAME`");

  auto wallets = store.List();
  if (!wallets) return wallets.error();
  if (wallets->empty()) {
    return MakeError(ErrorKind::kWallet,
                     "no wallet yet: create one with `mpp wallet new`, import one "
                     "with `mpp wallet import`, or set MPP_PRIVATE_KEY");
  }
  std::string names;
  for (const WalletInfo& info : *wallets) names += (names.empty() ? "" : ", ") + info.name;
  return MakeError(ErrorKind::kWallet,
                   "no default wallet: choose one with `mpp wallet use NAME` or pass "
                   "--wallet NAME (wallets: " +
                       names + ")");
}

Result<SigningKey> ResolveSigningKey(const WalletStore& store, const EnvLookup& env,
                                     std::optional<std::string_view> wallet_flag,
                                     const PasswordProvider& password) {
  if (const char* hex = env("MPP_PRIVATE_KEY"); hex != nullptr && *hex != '\0') {
    auto key = ParsePrivateKeyHex(hex, "MPP_PRIVATE_KEY");
    if (!key) return key.error();
    return SigningKey{std::move(*key), "MPP_PRIVATE_KEY"};
  }
  auto name = ResolveWalletName(store, env, wallet_flag);
  if (!name) return name.error();
  auto key = store.Unlock(*name, password);
  if (!key) return key.error();
  return SigningKey{std::move(*key), "wallet '" + *name + "'"};
}

}  // namespace mpp::wallet
