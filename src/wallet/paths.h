// Where mpp keeps its files: the config directory and the data directory (keys, default wallet, journal).
#pragma once

#include <filesystem>
#include <string_view>

#include "util/error.h"
#include "wallet/env.h"

namespace mpp::wallet {

// The directories, and the files in them. With MPP_HOME set both directories are MPP_HOME itself.
//   <config_dir>/config.toml          settings (read by the CLI)
//   <data_dir>/keys/<name>.json       one key file per wallet (V3 keystore or marked plaintext), 0600
//   <data_dir>/default-wallet         the default wallet's name and a newline, 0600
//   <data_dir>/removed/               key files moved aside by `wallet remove`, never deleted
//   <data_dir>/payments.jsonl         the payment journal, 0600
//   <data_dir>/channels/              payment channels (wallet/channel_store.h), one record per scope
// Directories are created 0700 when first written to.
struct Paths {
  std::filesystem::path config_dir;
  std::filesystem::path data_dir;

  std::filesystem::path ConfigFile() const { return config_dir / "config.toml"; }
  std::filesystem::path KeysDir() const { return data_dir / "keys"; }
  std::filesystem::path RemovedKeysDir() const { return data_dir / "removed"; }
  std::filesystem::path DefaultWalletFile() const { return data_dir / "default-wallet"; }
  std::filesystem::path JournalFile() const { return data_dir / "payments.jsonl"; }
  std::filesystem::path ChannelsDir() const { return data_dir / "channels"; }
  // The tokens each paid answer reported (`usage` records), beside the journal: the journal keeps only
  // what money did, and `wallet spend` joins the two by payment id.
  std::filesystem::path UsageFile() const { return data_dir / "usage.jsonl"; }
};

// Resolves the directories: MPP_HOME (made absolute) for both; otherwise $XDG_CONFIG_HOME/mpp and
// $XDG_DATA_HOME/mpp, where only absolute values count (as the XDG spec says), falling back to
// $HOME/.config/mpp and $HOME/.local/share/mpp. kWallet error when neither MPP_HOME nor an absolute
// HOME is set, or when a directory fails CheckOwnership.
Result<Paths> ResolvePaths(const EnvLookup& env);

// Refuses (kWallet) `dir` when it, or any existing directory above it (by the path as given and by
// the path its symlinks lead to), belongs to a user other than this process's or root: that user could
// delete the journal (resetting the daily budget), swap key files or rewrite the config. Parts that do
// not exist yet are skipped. The message names `dir` as `what` and the owner's uid.
Status CheckOwnership(const std::filesystem::path& dir, std::string_view what = "the data directory");

// Creates `dir` (and missing parents, with the default mode) with mode 0700 whatever the umask. An
// existing `dir` keeps its mode (MPP_HOME may point at a directory the user manages), but one that group
// or others may write is refused, with the chmod fix. Refuses a path that exists but is not a directory.
Status EnsurePrivateDirectory(const std::filesystem::path& dir);

}  // namespace mpp::wallet
