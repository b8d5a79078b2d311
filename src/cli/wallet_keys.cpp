// mpp wallet new / import / export / list / use / address / remove.
#include <unistd.h>

#include <ostream>

#include "cli/wallet_commands.h"
#include "util/message.h"
#include "wallet/env.h"
#include "wallet/files.h"
#include "wallet/key_hex.h"
#include "wallet/key_resolution.h"
#include "wallet/password.h"
#include "wallet/paths.h"
#include "wallet/store.h"

namespace mpp::cli {
namespace {

constexpr const char* kDefaultName = "default";

Result<wallet::WalletStore> OpenStore(const wallet::EnvLookup& env) {
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return paths.error();
  return wallet::WalletStore(*paths);
}

wallet::PasswordSources Sources(const WalletOptions& o, const Io& io) {
  wallet::PasswordSources sources;
  if (!o.password_file.empty()) sources.password_file = o.password_file;
  sources.allow_prompt = io.stdin_is_tty;
  return sources;
}

wallet::PasswordProvider UnlockPassword(const WalletOptions& o, const Io& io, const wallet::EnvLookup& env) {
  auto sources = Sources(o, io);
  return [sources, env](std::string_view name) {
    return wallet::ObtainPassword(sources, env, wallet::PasswordPurpose::kUnlock, name);
  };
}

// How the new key file is protected: a password (never from argv), or plaintext when asked.
Result<wallet::KeyProtection> Protection(const WalletOptions& o, const Io& io, const std::string& name,
                                         const wallet::EnvLookup& env) {
  wallet::KeyProtection protection;
  protection.scrypt = o.light ? wallet::kScryptLight : wallet::kScryptStandard;
  if (o.insecure_no_password) {
    protection.insecure_plaintext = true;
    msg::Warning("storing wallet '" + name +
                 "' UNENCRYPTED (--insecure-no-password): anyone who can read the file "
                 "can spend its funds");
    return protection;
  }
  auto password = wallet::ObtainPassword(Sources(o, io), env, wallet::PasswordPurpose::kCreate, name);
  if (!password) return password.error();
  protection.password = std::move(*password);
  return protection;
}

std::string NameOrDefault(const WalletOptions& o) { return o.name.empty() ? kDefaultName : o.name; }

Status ReportCreated(const wallet::WalletInfo& info, Io& io) {
  io.out << info.address->ToChecksumHex() << "\n";
  msg::Info("wallet '" + info.name + "' saved" + (info.is_default ? " (default)" : "") +
            "; fund it on testnet with 'mpp wallet fund --network testnet'");
  return {};
}

}  // namespace

Status WalletNew(const WalletOptions& o, Io& io, const Services& services) {
  std::string name = NameOrDefault(o);
  if (auto valid = wallet::ValidateWalletName(name); !valid) return valid;
  auto store = OpenStore(services.env);
  if (!store) return store.error();
  if (std::filesystem::exists(store->KeyFile(name))) {
    return MakeError(ErrorKind::kWallet,
                     "wallet '" + name + "' already exists; pick another name: mpp wallet new NAME");
  }
  auto protection = Protection(o, io, name, services.env);
  if (!protection) return protection.error();
  auto key = crypto::PrivateKey::Generate();
  if (!key)
    return MakeError(ErrorKind::kWallet, "the system's random number generator failed; no key was made");
  if (!o.insecure_no_password)
    msg::Info("encrypting the key (scrypt" + std::string(o.light ? ", light" : "") + ")...");
  auto info = store->Create(name, *key, *protection);
  if (!info) return info.error();
  return ReportCreated(*info, io);
}

Status WalletImport(const WalletOptions& o, Io& io, const Services& services) {
  std::string name = NameOrDefault(o);
  if (auto valid = wallet::ValidateWalletName(name); !valid) return valid;
  auto store = OpenStore(services.env);
  if (!store) return store.error();
  if (std::filesystem::exists(store->KeyFile(name))) {
    return MakeError(ErrorKind::kWallet, "wallet '" + name + "' already exists; import under another name");
  }
  if (!o.keystore_file.empty()) {
    auto json = wallet::ReadFileCapped(o.keystore_file, 1 << 20);
    if (!json) return json.error();
    auto password =
        wallet::ObtainPassword(Sources(o, io), services.env, wallet::PasswordPurpose::kUnlock, name);
    if (!password) return password.error();
    auto info = store->ImportKeystore(name, *json, *password);
    if (!info) return info.error();
    return ReportCreated(*info, io);
  }
  auto text = wallet::ReadSecretFromStdin("private key (hex): ");
  if (!text) return text.error();
  auto key = wallet::ParsePrivateKeyHex(text->str(), "the key on standard input");
  if (!key) return key.error();
  auto protection = Protection(o, io, name, services.env);
  if (!protection) return protection.error();
  auto info = store->Create(name, *key, *protection);
  if (!info) return info.error();
  return ReportCreated(*info, io);
}

Status WalletExport(const WalletOptions& o, Io& io, const Services& services) {
  auto store = OpenStore(services.env);
  if (!store) return store.error();
  std::optional<std::string_view> flag;
  if (!o.name.empty()) flag = o.name;
  auto name = wallet::ResolveWalletName(*store, services.env, flag);
  if (!name) return name.error();
  if (!o.yes_print_private_key) {
    auto keystore = store->ExportKeystore(*name);
    if (!keystore) {
      return MakeError(keystore.error().kind,
                       keystore.error().message + " (to print the raw key, add --yes-print-private-key)");
    }
    io.out << *keystore << (keystore->empty() || keystore->back() != '\n' ? "\n" : "");
    return {};
  }
  auto key = store->Unlock(*name, UnlockPassword(o, io, services.env));
  if (!key) return key.error();
  SecretString hex = wallet::FormatPrivateKeyHex(*key);
  io.out << hex.str() << "\n";
  io.out.flush();
  return {};
}

Status WalletList(const WalletOptions& o, Io& io, const Services& services) {
  auto store = OpenStore(services.env);
  if (!store) return store.error();
  auto wallets = store->List();
  if (!wallets) return wallets.error();
  if (o.names_only) {
    for (const auto& w : *wallets) io.out << w.name << "\n";
    return {};
  }
  if (o.json) {
    io.out << "[";
    bool first = true;
    for (const auto& w : *wallets) {
      io.out << (first ? "" : ",") << "{\"name\":\"" << w.name << "\",\"address\":"
             << (w.address ? "\"" + w.address->ToChecksumHex() + "\"" : std::string("null"))
             << ",\"default\":" << (w.is_default ? "true" : "false")
             << ",\"encrypted\":" << (w.encrypted ? "true" : "false") << "}";
      first = false;
    }
    io.out << "]\n";
    return {};
  }
  if (wallets->empty()) {
    msg::Info("no wallets yet; create one with 'mpp wallet new' or 'mpp wallet import'");
    return {};
  }
  for (const auto& w : *wallets) {
    io.out << (w.is_default ? "* " : "  ") << w.name << "  "
           << (w.address ? w.address->ToChecksumHex() : "(unreadable: " + w.problem + ")")
           << (w.encrypted ? "" : "  UNENCRYPTED") << "\n";
  }
  return {};
}

Status WalletUse(const WalletOptions& o, Io&, const Services& services) {
  auto store = OpenStore(services.env);
  if (!store) return store.error();
  if (auto set = store->SetDefault(o.name); !set) return set;
  msg::Info("wallet '" + o.name + "' is now the default");
  return {};
}

Result<crypto::Address> ResolveWalletAddress(const WalletOptions& o, const wallet::EnvLookup& env) {
  if (o.name.empty()) {
    if (const char* hex = env("MPP_PRIVATE_KEY"); hex != nullptr && *hex != '\0') {
      auto key = wallet::ParsePrivateKeyHex(hex, "MPP_PRIVATE_KEY");
      if (!key) return key.error();
      return crypto::Address::FromPublicKey(key->GetPublicKey());
    }
  }
  auto store = OpenStore(env);
  if (!store) return store.error();
  std::optional<std::string_view> flag;
  if (!o.name.empty()) flag = o.name;
  auto name = wallet::ResolveWalletName(*store, env, flag);
  if (!name) return name.error();
  return store->AddressOf(*name);
}

Status WalletAddress(const WalletOptions& o, Io& io, const Services& services) {
  auto address = ResolveWalletAddress(o, services.env);
  if (!address) return address.error();
  io.out << address->ToChecksumHex() << "\n";
  return {};
}

Status WalletRemove(const WalletOptions& o, Io& io, const Services& services) {
  auto store = OpenStore(services.env);
  if (!store) return store.error();
  if (!o.yes) {
    if (!io.stdin_is_tty) {
      return MakeError(ErrorKind::kUsage,
                       "refusing to remove wallet '" + o.name + "' without confirmation; add --yes");
    }
    io.err << "Remove wallet '" << o.name << "'? Its key file is moved aside, not deleted. [y/N] "
           << std::flush;
    std::string answer;
    std::getline(io.in, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") return MakeError(ErrorKind::kUsage, "not removed");
  }
  auto moved = store->Remove(o.name);
  if (!moved) return moved.error();
  msg::Info("wallet '" + o.name + "' removed; its key file was moved to " + moved->string());
  return {};
}

}  // namespace mpp::cli
