#include "wallet/store.h"
#include "util/json_depth.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util/utc_time.h"
#include "wallet/files.h"
#include "wallet/key_file.h"
#include "wallet/keystore.h"

namespace mpp::wallet {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;
constexpr std::size_t kMaxDefaultFileBytes = 1024;
constexpr std::string_view kKeyFileExtension = ".json";

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

Error NoSuchWallet(std::string_view name) {
  return MakeError(ErrorKind::kWallet,
                   "there is no " + QuotedWalletName(name) + "; `mpp wallet list` shows the wallets");
}

// Whether `path` exists; an error other than "not found" is reported rather than guessed.
Result<bool> Exists(const fs::path& path) {
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (ec) return MakeError(ErrorKind::kWallet, "cannot inspect " + path.string() + ": " + ec.message());
  return exists;
}

// The keystore with "address" set to `address` (lowercase hex without 0x, as geth writes it).
Result<std::string> WithAddressField(std::string_view keystore_json, const crypto::Address& address) {
  rapidjson::Document document;
  if (!JsonNestingWithin(keystore_json))
    return MakeError(ErrorKind::kWallet, "the keystore is nested too deeply");
  document.Parse<rapidjson::kParseIterativeFlag>(keystore_json.data(), keystore_json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return MakeError(ErrorKind::kWallet, "the keystore is not a JSON object");
  }
  const std::string lower = address.ToLowerHex().substr(2);
  rapidjson::Value value(lower, document.GetAllocator());
  if (auto it = document.FindMember("address"); it != document.MemberEnd()) {
    it->value = value;
  } else {
    document.AddMember("address", value, document.GetAllocator());
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace

std::string QuotedWalletName(std::string_view name) { return "wallet '" + std::string(name) + "'"; }

Status ValidateWalletName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || !IsAlnum(name.front()) ||
      !std::all_of(name.begin(), name.end(), IsNameChar)) {
    return MakeError(ErrorKind::kUsage,
                     "invalid wallet name '" + std::string(name.substr(0, kMaxNameLength)) +
                         "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                         "letter or digit");
  }
  return {};
}

fs::path WalletStore::KeyFile(std::string_view name) const {
  return paths_.KeysDir() / (std::string(name) + std::string(kKeyFileExtension));
}

Result<WalletInfo> WalletStore::Describe(std::string_view name) const {
  WalletInfo info;
  info.name = std::string(name);
  auto content = ReadPrivateFile(KeyFile(name), kMaxKeyFileBytes);
  if (!content) {
    info.problem = content.error().message;
    return info;
  }
  auto summary = InspectKeyFile(content->str());
  if (!summary) {
    info.problem = KeyFile(name).string() + ": " + summary.error().message;
    return info;
  }
  info.encrypted = summary->kind == KeyFileKind::kKeystoreV3;
  info.address = summary->address;
  if (!info.address) info.problem = "the keystore has no \"address\" field";
  return info;
}

Result<std::vector<WalletInfo>> WalletStore::List() const {
  std::vector<WalletInfo> wallets;
  auto keys_dir_exists = Exists(paths_.KeysDir());
  if (!keys_dir_exists) return keys_dir_exists.error();
  if (!*keys_dir_exists) return wallets;
  auto default_name = DefaultName();
  std::error_code ec;
  for (fs::directory_iterator it(paths_.KeysDir(), ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    if (path.extension() != kKeyFileExtension || !ValidateWalletName(path.stem().string())) continue;
    auto info = Describe(path.stem().string());
    if (!info) return info.error();
    info->is_default = default_name && *default_name && **default_name == info->name;
    wallets.push_back(std::move(*info));
  }
  if (ec)
    return MakeError(ErrorKind::kWallet, "cannot list " + paths_.KeysDir().string() + ": " + ec.message());
  std::sort(wallets.begin(), wallets.end(),
            [](const WalletInfo& a, const WalletInfo& b) { return a.name < b.name; });
  return wallets;
}

Status WalletStore::Store(std::string_view name, std::string_view content) {
  if (auto valid = ValidateWalletName(name); !valid) return valid;
  auto exists = Exists(KeyFile(name));
  if (!exists) return exists.error();
  if (*exists) {
    return MakeError(ErrorKind::kWallet, "a " + QuotedWalletName(name) +
                                             " already exists; choose another name (or "
                                             "`mpp wallet remove " +
                                             std::string(name) + "` first)");
  }
  if (auto dir = EnsurePrivateDirectory(paths_.data_dir); !dir) return dir;
  if (auto dir = EnsurePrivateDirectory(paths_.KeysDir()); !dir) return dir;
  // kRefuse: even a wallet of the same name created concurrently is never overwritten.
  return WriteFileAtomic(KeyFile(name), content, ExistingFile::kRefuse, 0600);
}

Status WalletStore::SetDefaultIfNone(std::string_view name) {
  auto current = DefaultName();
  if (current && *current) {
    auto exists = Exists(KeyFile(**current));
    if (exists && *exists) return {};
  }
  return SetDefault(name);
}

Result<WalletInfo> WalletStore::Create(std::string_view name, const crypto::PrivateKey& key,
                                       const KeyProtection& protection) {
  if (auto valid = ValidateWalletName(name); !valid) return valid.error();
  if (protection.insecure_plaintext) {
    const SecretString content = EncodeInsecurePlaintextKey(key);
    if (auto stored = Store(name, content.str()); !stored) return stored.error();
  } else {
    auto content = EncryptKeystore(key, protection.password, protection.scrypt);
    if (!content) return content.error();
    if (auto stored = Store(name, *content); !stored) return stored.error();
  }
  // Read back what reached the disk: a key is reported saved only once it is known to be recoverable.
  auto reread = Unlock(name, [&](std::string_view) {
    return Result<SecretString>(SecretString(std::string(protection.password.str())));
  });
  if (!reread || reread->GetPublicKey() != key.GetPublicKey()) {
    std::error_code ec;
    fs::remove(KeyFile(name), ec);
    return MakeError(ErrorKind::kWallet,
                     "the key file written for " + QuotedWalletName(name) +
                         " did not read back correctly, so it was deleted; nothing was saved" +
                         (reread ? std::string() : " (" + reread.error().message + ")"));
  }
  if (auto made_default = SetDefaultIfNone(name); !made_default) return made_default.error();
  return Describe(name);
}

Result<WalletInfo> WalletStore::ImportKeystore(std::string_view name, std::string_view keystore_json,
                                               const SecretString& password) {
  if (auto valid = ValidateWalletName(name); !valid) return valid.error();
  auto key = DecryptKeystore(keystore_json, password, QuotedWalletName(name) + " (being imported)");
  if (!key) return key.error();
  auto content = WithAddressField(keystore_json, crypto::Address::FromPublicKey(key->GetPublicKey()));
  if (!content) return content.error();
  if (auto stored = Store(name, *content); !stored) return stored.error();
  if (auto made_default = SetDefaultIfNone(name); !made_default) return made_default.error();
  return Describe(name);
}

Result<crypto::Address> WalletStore::AddressOf(std::string_view name) const {
  if (auto valid = ValidateWalletName(name); !valid) return valid.error();
  auto exists = Exists(KeyFile(name));
  if (!exists) return exists.error();
  if (!*exists) return NoSuchWallet(name);
  auto info = Describe(name);
  if (!info) return info.error();
  if (!info->address)
    return MakeError(ErrorKind::kWallet,
                     "cannot tell the address of " + QuotedWalletName(name) + ": " + info->problem);
  return *info->address;
}

Result<crypto::PrivateKey> WalletStore::Unlock(std::string_view name,
                                               const PasswordProvider& password) const {
  if (auto valid = ValidateWalletName(name); !valid) return valid.error();
  auto exists = Exists(KeyFile(name));
  if (!exists) return exists.error();
  if (!*exists) return NoSuchWallet(name);
  auto content = ReadPrivateFile(KeyFile(name), kMaxKeyFileBytes);
  if (!content) return content.error();
  return UnlockKeyFile(
      content->str(), [&] { return password(name); }, QuotedWalletName(name));
}

Result<std::string> WalletStore::ExportKeystore(std::string_view name) const {
  if (auto valid = ValidateWalletName(name); !valid) return valid.error();
  auto exists = Exists(KeyFile(name));
  if (!exists) return exists.error();
  if (!*exists) return NoSuchWallet(name);
  auto content = ReadPrivateFile(KeyFile(name), kMaxKeyFileBytes);
  if (!content) return content.error();
  auto summary = InspectKeyFile(content->str());
  if (!summary) return summary.error();
  if (summary->kind != KeyFileKind::kKeystoreV3) {
    return MakeError(ErrorKind::kWallet, QuotedWalletName(name) +
                                             " is stored unencrypted, so it has no keystore to export; "
                                             "print its key with --yes-print-private-key");
  }
  return std::string(content->str());
}

Result<std::optional<std::string>> WalletStore::DefaultName() const {
  const fs::path file = paths_.DefaultWalletFile();
  auto exists = Exists(file);
  if (!exists) return exists.error();
  if (!*exists) return std::optional<std::string>();
  auto content = ReadFileCapped(file, kMaxDefaultFileBytes);
  if (!content) return content.error();
  std::string name = std::move(*content);
  while (!name.empty() && (name.back() == '\n' || name.back() == '\r' || name.back() == ' ')) name.pop_back();
  if (!ValidateWalletName(name)) {
    return MakeError(ErrorKind::kWallet, file.string() +
                                             " does not hold a wallet name; choose the default again "
                                             "with `mpp wallet use NAME`");
  }
  return std::optional<std::string>(std::move(name));
}

Status WalletStore::SetDefault(std::string_view name) {
  if (auto valid = ValidateWalletName(name); !valid) return valid;
  auto exists = Exists(KeyFile(name));
  if (!exists) return exists.error();
  if (!*exists) return NoSuchWallet(name);
  if (auto dir = EnsurePrivateDirectory(paths_.data_dir); !dir) return dir;
  return WriteFileAtomic(paths_.DefaultWalletFile(), std::string(name) + "\n", ExistingFile::kReplace, 0600);
}

Result<fs::path> WalletStore::Remove(std::string_view name) {
  if (auto valid = ValidateWalletName(name); !valid) return valid.error();
  const fs::path source = KeyFile(name);
  auto exists = Exists(source);
  if (!exists) return exists.error();
  if (!*exists) return NoSuchWallet(name);
  if (auto dir = EnsurePrivateDirectory(paths_.RemovedKeysDir()); !dir) return dir.error();

  std::string stamp = FormatUtcTimestamp(UnixNow());
  stamp.erase(std::remove_if(stamp.begin(), stamp.end(), [](char c) { return c == '-' || c == ':'; }),
              stamp.end());
  fs::path target;
  for (int attempt = 0;; ++attempt) {
    target = paths_.RemovedKeysDir() /
             (std::string(name) + "-" + stamp + (attempt ? "-" + std::to_string(attempt) : "") + ".json");
    // link then unlink: never replaces an earlier removed key of the same name and time.
    if (::link(source.c_str(), target.c_str()) == 0) break;
    if (errno != EEXIST) return SystemError("cannot move the key file to", target, errno);
  }
  if (auto synced = FsyncDirectory(paths_.RemovedKeysDir()); !synced) return synced.error();
  if (::unlink(source.c_str()) != 0) return SystemError("cannot remove", source, errno);
  if (auto synced = FsyncDirectory(paths_.KeysDir()); !synced) return synced.error();

  auto default_name = DefaultName();
  if (default_name && *default_name && **default_name == name) {
    if (::unlink(paths_.DefaultWalletFile().c_str()) != 0 && errno != ENOENT) {
      return SystemError("cannot clear the default wallet in", paths_.DefaultWalletFile(), errno);
    }
    if (auto synced = FsyncDirectory(paths_.data_dir); !synced) return synced.error();
  }
  return target;
}

}  // namespace mpp::wallet
