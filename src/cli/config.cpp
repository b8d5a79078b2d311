#include "cli/config.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>

#include "wallet/env.h"
#include "wallet/paths.h"

namespace mpp::cli {

std::optional<std::string> ConfigValues::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.size() != 1) return std::nullopt;
  return it->second.front();
}

std::map<std::string, std::map<std::string, std::string>> ConfigValues::Sections(
    const std::string& prefix) const {
  std::map<std::string, std::map<std::string, std::string>> out;
  std::string head = prefix + ".";
  for (const auto& [key, values] : values_) {
    if (key.compare(0, head.size(), head) != 0 || values.size() != 1) continue;
    std::string rest = key.substr(head.size());
    auto dot = rest.find('.');
    if (dot == std::string::npos) continue;
    out[rest.substr(0, dot)][rest.substr(dot + 1)] = values.front();
  }
  return out;
}

Result<ConfigValues> LoadConfigFile(const std::filesystem::path& path) {
  ConfigValues config;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return config;
  std::ifstream in(path);
  if (!std::filesystem::is_regular_file(path, ec) || !in) {
    return MakeError(ErrorKind::kUsage,
                     "cannot read the config file " + path.string() + " (check its permissions)");
  }
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(in);
  } catch (const std::exception& e) {
    return MakeError(ErrorKind::kUsage, "the config file " + path.string() + " is malformed: " + e.what());
  }
  for (const auto& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // CLI11's section markers
    std::string key;
    for (const auto& parent : item.parents) key += parent + ".";
    key += item.name;
    config.Set(key, item.inputs);
  }
  return config;
}

Result<ConfigValues> LoadConfig(const std::string& config_flag) {
  if (!config_flag.empty()) {
    if (!std::filesystem::exists(config_flag)) {
      return MakeError(ErrorKind::kUsage, "--config " + config_flag + ": no such file");
    }
    return LoadConfigFile(config_flag);
  }
  if (const char* env = std::getenv("MPP_CONFIG"); env != nullptr && *env != '\0') return LoadConfigFile(env);
  auto paths = wallet::ResolvePaths(wallet::ProcessEnvironment());
  if (!paths) return ConfigValues{};
  return LoadConfigFile(paths->ConfigFile());
}

}  // namespace mpp::cli
