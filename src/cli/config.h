// config.toml: read with CLI11's TOML reader, applied under the environment and the flags
// (flag > environment > config file > built-in default).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace mpp::cli {

// Every value in the file, keyed by its dotted path ("network", "budget.daily",
// "services.mine.url"). Lists keep their items; scalars are one-item lists.
class ConfigValues {
 public:
  void Set(std::string key, std::vector<std::string> values) { values_[std::move(key)] = std::move(values); }
  // The scalar at `key`, or nullopt.
  std::optional<std::string> Get(const std::string& key) const;
  // Sections under `prefix` ("services") with their keys: {"mine": {"url": "...", ...}}.
  std::map<std::string, std::map<std::string, std::string>> Sections(const std::string& prefix) const;
  bool empty() const { return values_.empty(); }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// Reads `path`. A missing file is an empty config; an unreadable or malformed one is a kUsage error
// naming the file and what to fix.
Result<ConfigValues> LoadConfigFile(const std::filesystem::path& path);

// The config file mpp reads: --config, else MPP_CONFIG, else <config dir>/config.toml.
Result<ConfigValues> LoadConfig(const std::string& config_flag);

}  // namespace mpp::cli
