// config.toml: parsed with toml++ (any valid TOML spelling), checked against the keys mpp knows, and
// applied under the environment and the flags (flag > environment > config file > built-in default).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"
#include "wallet/env.h"

namespace mpp::cli {

// Every value in the file as text, keyed by its dotted path ("network", "budget.daily",
// "services.mine.url"), with where it was written ("config.toml line 3") for messages.
class ConfigValues {
 public:
  void Set(std::string key, std::vector<std::string> values, std::string origin = {});
  // The scalar at `key`, or nullopt.
  std::optional<std::string> Get(const std::string& key) const;
  // "<file> line N" for a key read from a file; "config" when it came from elsewhere (tests).
  std::string Origin(const std::string& key) const;
  // Sections under `prefix` ("services") with their keys: {"mine": {"url": "...", ...}}.
  std::map<std::string, std::map<std::string, std::string>> Sections(const std::string& prefix) const;
  bool empty() const { return values_.empty(); }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, std::string> origins_;
};

// True for the keys a [services.NAME] table may set about paying that service (intent, max_deposit),
// which the payment settings read and the service definition does not.
bool IsServicePaymentKey(std::string_view key);

// Parses TOML text read from `source` (named in messages). Refuses (kUsage, naming source, line and
// key) syntax errors, duplicate keys and tables, keys mpp does not know, and values of the wrong type:
// amounts (max_amount, max_fee, budget.daily, confirm_above) and counts (retries) may be strings or
// numbers, everything else is a string.
// Pure.
Result<ConfigValues> ParseConfigText(std::string_view text, const std::string& source);

// Reads and parses `path`. A missing file is an empty config unless `must_exist` (a file named by
// --config or MPP_CONFIG), which is kUsage. kUsage for an unreadable file or a directory; kWallet for a
// file, or its directory, that another user owns or may write (see wallet::CheckControlledByUser).
Result<ConfigValues> LoadConfigFile(const std::filesystem::path& path, bool must_exist = false);

// The config file mpp reads: --config, else MPP_CONFIG, else <config dir>/config.toml (both found
// through `env`).
Result<ConfigValues> LoadConfig(const std::string& config_flag, const wallet::EnvLookup& env);

}  // namespace mpp::cli
