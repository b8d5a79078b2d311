#include "cli/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <span>

#include "llm/services.h"
#include "util/text.h"
#include "wallet/env.h"
#include "wallet/paths.h"
#include "wallet/trust.h"

namespace mpp::cli {
namespace {

// The largest config file mpp reads; a real one is a few hundred bytes.
constexpr std::size_t kMaxConfigBytes = 1 << 20;

enum class ValueKind { kText, kAmount, kCount };

struct KeySpec {
  std::string_view name;
  ValueKind kind;
};

// The schema, as data: top-level keys and the [budget] table. [services.NAME] tables take
// llm::ServiceConfigKeys(), all text.
constexpr KeySpec kTopLevelKeys[] = {
    {"network", ValueKind::kText},      {"rpc_url", ValueKind::kText},
    {"wallet", ValueKind::kText},       {"service", ValueKind::kText},
    {"max_amount", ValueKind::kAmount}, {"max_fee", ValueKind::kAmount},
    {"intent", ValueKind::kText},       {"max_deposit", ValueKind::kAmount},
    {"escrow", ValueKind::kText},       {"channel_warn_age", ValueKind::kText},
    {"retries", ValueKind::kCount},     {"confirm_above", ValueKind::kAmount},
    {"max_drift", ValueKind::kCount},
};
// What a [services.NAME] table may set beside llm::ServiceConfigKeys(): how to pay that service.
constexpr KeySpec kServicePaymentKeys[] = {{"intent", ValueKind::kText}, {"max_deposit", ValueKind::kAmount}};
constexpr KeySpec kBudgetKeys[] = {{"daily", ValueKind::kAmount}};

class ConfigReader {
 public:
  explicit ConfigReader(std::string source) : source_(std::move(source)) {}

  Status ReadRoot(const toml::table& root) {
    for (const auto& [key, node] : root) {
      const std::string name(key.str());
      if (name == "budget") {
        if (auto read = ReadTable(node, key, "budget", kBudgetKeys); !read) return read;
      } else if (name == "services") {
        if (auto read = ReadServices(node, key); !read) return read;
      } else if (const KeySpec* spec = Find(kTopLevelKeys, name)) {
        if (auto read = ReadValue(node, key, name, spec->kind); !read) return read;
      } else {
        return Unknown(key, name, "budget, services, " + Names(kTopLevelKeys));
      }
    }
    return {};
  }

  ConfigValues take() { return std::move(values_); }

 private:
  static const KeySpec* Find(std::span<const KeySpec> specs, std::string_view name) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](const KeySpec& s) { return s.name == name; });
    return it == specs.end() ? nullptr : &*it;
  }

  static std::string Names(std::span<const KeySpec> specs) {
    std::string names;
    for (const auto& spec : specs) names += (names.empty() ? "" : ", ") + std::string(spec.name);
    return names;
  }

  std::string Where(const toml::key& key, const toml::node& node) const {
    auto line = key.source().begin.line;
    if (line == 0) line = node.source().begin.line;
    return source_ + " line " + std::to_string(line);
  }

  Error Problem(const toml::key& key, const toml::node& node, const std::string& text) const {
    return MakeError(ErrorKind::kUsage, "config file " + Where(key, node) + ": " + text);
  }

  Error Unknown(const toml::key& key, const std::string& path, const std::string& known) const {
    return MakeError(ErrorKind::kUsage, "config file " + source_ + " line " +
                                            std::to_string(key.source().begin.line) + ": unknown key '" +
                                            DisplayText(path, 100) + "' (known here: " + known + ")");
  }

  Status ReadTable(const toml::node& node, const toml::key& key, const std::string& path,
                   std::span<const KeySpec> specs) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return Problem(key, node, "'" + path + "' must be a table, e.g. [" + path + "]");
    for (const auto& [child_key, child] : *table) {
      const std::string name(child_key.str());
      const KeySpec* spec = Find(specs, name);
      if (spec == nullptr) return Unknown(child_key, path + "." + name, Names(specs));
      if (auto read = ReadValue(child, child_key, path + "." + name, spec->kind); !read) return read;
    }
    return {};
  }

  Status ReadServices(const toml::node& node, const toml::key& key) {
    const toml::table* services = node.as_table();
    if (services == nullptr) return Problem(key, node, "'services' must hold tables, e.g. [services.mine]");
    std::string known;
    for (auto name : llm::ServiceConfigKeys()) known += (known.empty() ? "" : ", ") + std::string(name);
    known += ", " + Names(kServicePaymentKeys);
    for (const auto& [name_key, service] : *services) {
      const std::string base = "services." + std::string(name_key.str());
      const toml::table* table = service.as_table();
      if (table == nullptr) {
        return Problem(
            name_key, service,
            "'" + DisplayText(base, 100) + "' must be a table, e.g. [" + DisplayText(base, 100) + "]");
      }
      for (const auto& [child_key, child] : *table) {
        const std::string name(child_key.str());
        auto keys = llm::ServiceConfigKeys();
        const KeySpec* payment = Find(kServicePaymentKeys, name);
        if (payment == nullptr && std::find(keys.begin(), keys.end(), name) == keys.end())
          return Unknown(child_key, base + "." + name, known);
        const ValueKind kind = payment != nullptr ? payment->kind : ValueKind::kText;
        if (auto read = ReadValue(child, child_key, base + "." + name, kind); !read) return read;
      }
    }
    return {};
  }

  Status ReadValue(const toml::node& node, const toml::key& key, const std::string& path, ValueKind kind) {
    std::string text;
    if (const auto* string = node.as_string()) {
      text = string->get();
    } else if ((kind == ValueKind::kAmount || kind == ValueKind::kCount) && node.is_integer()) {
      text = std::to_string(node.as_integer()->get());
    } else if (kind == ValueKind::kAmount && node.is_floating_point()) {
      // The shortest fixed notation that reads back as the same double: 0.05 stays "0.05".
      char buffer[400];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, node.as_floating_point()->get(),
                                     std::chars_format::fixed);
      if (ec != std::errc()) return Problem(key, node, "'" + path + "' is not an amount");
      text.assign(buffer, end);
    } else {
      return Problem(key, node,
                     "'" + path + "' must be " +
                         (kind == ValueKind::kAmount  ? "an amount in token units, e.g. \"0.05\" or 0.05"
                          : kind == ValueKind::kCount ? "a whole number, e.g. 2"
                                                      : "a string in double quotes"));
    }
    values_.Set(path, {std::move(text)}, Where(key, node));
    return {};
  }

  std::string source_;
  ConfigValues values_;
};

Error ReadError(const std::filesystem::path& path, int error) {
  return MakeError(ErrorKind::kUsage, "cannot read the config file " + path.string() + ": " +
                                          std::strerror(error) + " (check its permissions)");
}

}  // namespace

bool IsServicePaymentKey(std::string_view key) {
  return std::any_of(std::begin(kServicePaymentKeys), std::end(kServicePaymentKeys),
                     [&](const KeySpec& spec) { return spec.name == key; });
}

void ConfigValues::Set(std::string key, std::vector<std::string> values, std::string origin) {
  if (!origin.empty()) origins_[key] = std::move(origin);
  values_[std::move(key)] = std::move(values);
}

std::optional<std::string> ConfigValues::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.size() != 1) return std::nullopt;
  return it->second.front();
}

std::string ConfigValues::Origin(const std::string& key) const {
  auto it = origins_.find(key);
  return it == origins_.end() ? std::string("config") : it->second;
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

Result<ConfigValues> ParseConfigText(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(source));
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return MakeError(ErrorKind::kUsage, "config file " + source + " line " + std::to_string(where.line) +
                                            ", column " + std::to_string(where.column) + ": " +
                                            DisplayText(e.description(), 200) + " (not valid TOML)");
  }
  ConfigReader reader(source);
  if (auto read = reader.ReadRoot(root); !read) return read.error();
  return reader.take();
}

Result<ConfigValues> LoadConfigFile(const std::filesystem::path& path, bool must_exist) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT && !must_exist) return ConfigValues{};
    if (errno == ENOENT) {
      return MakeError(ErrorKind::kUsage, "the config file " + path.string() +
                                              " does not exist (named by --config or MPP_CONFIG)");
    }
    return ReadError(path, errno);
  }
  struct stat st {};
  std::string text;
  int failure = ::fstat(fd, &st) != 0 ? errno : 0;
  if (failure == 0 && !S_ISREG(st.st_mode)) failure = EISDIR;
  while (failure == 0 && text.size() <= kMaxConfigBytes) {
    char buffer[8192];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) failure = errno;
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  if (failure == EISDIR) {
    return MakeError(ErrorKind::kUsage, "the config file " + path.string() + " is not a regular file");
  }
  if (failure != 0) return ReadError(path, failure);
  if (text.size() > kMaxConfigBytes) {
    return MakeError(ErrorKind::kUsage, "the config file " + path.string() + " is larger than 1 MiB");
  }
  if (auto owned = wallet::CheckControlledByUser(st.st_mode, st.st_uid, ::geteuid(), path, "the config file");
      !owned) {
    return owned.error();
  }
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  if (auto dir_owned = wallet::CheckPathControlledByUser(dir, "the config file's directory"); !dir_owned) {
    return dir_owned.error();
  }
  return ParseConfigText(text, path.string());
}

Result<ConfigValues> LoadConfig(const std::string& config_flag, const wallet::EnvLookup& env) {
  if (!config_flag.empty()) return LoadConfigFile(config_flag, /*must_exist=*/true);
  if (const char* named = env("MPP_CONFIG"); named != nullptr && *named != '\0') {
    return LoadConfigFile(named, /*must_exist=*/true);
  }
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return ConfigValues{};
  return LoadConfigFile(paths->ConfigFile());
}

}  // namespace mpp::cli
