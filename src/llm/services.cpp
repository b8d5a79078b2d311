#include "llm/services.h"

#include <array>
#include <utility>

namespace mpp::llm {
namespace {

constexpr std::array kPresets = {
    ServicePreset{"groq", "https://groq.mpp.paywithlocus.com", "/groq/chat", "/groq/models", "POST",
                  "max_completion_tokens", "llama-3.3-70b-versatile", "mainnet"},
    ServicePreset{"grok", "https://grok.mpp.paywithlocus.com", "/grok/chat", "", "POST", "max_tokens",
                  "grok-3", "mainnet"},
    ServicePreset{"openrouter", "https://openrouter.mpp.tempo.xyz", "/v1/chat/completions", "", "GET",
                  "max_tokens", "openai/gpt-4o", "mainnet"},
    ServicePreset{"openai", "https://openai.mpp.tempo.xyz", "/v1/chat/completions", "", "GET", "max_tokens",
                  "gpt-4o", "mainnet"},
};

constexpr std::string_view kDefaultChatPath = "/v1/chat/completions";
constexpr std::string_view kSectionPrefix = "services.";

Service FromPreset(const ServicePreset& preset) {
  Service service;
  service.name = preset.name;
  service.base_url = preset.base_url;
  service.chat_path = preset.chat_path;
  if (!preset.models_path.empty()) service.models_path = std::string(preset.models_path);
  service.models_method = preset.models_method;
  service.max_tokens_field = preset.max_tokens_field;
  service.default_model = preset.default_model;
  service.network = preset.network;
  return service;
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool IsServiceName(std::string_view name) {
  if (name.empty() || name.size() > 64 || !IsLowerAlnum(name.front())) return false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

bool IsIdentifier(std::string_view field) {
  if (field.empty() || field.size() > 64) return false;
  for (char c : field) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Printable ASCII without spaces: what a URL or a path may hold unescaped.
bool IsUrlText(std::string_view text) {
  for (char c : text) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return true;
}

// Why `url` cannot be used, or empty when it can. A base URL (config) takes no query; an endpoint
// (--url) may carry one, e.g. an api-version parameter.
std::string CheckUrl(std::string_view url, bool allow_query) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return "must start with https:// (or http:// for a local test server)";
  }
  if (!IsUrlText(url)) return "must not contain spaces or control characters";
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.front() == ':') return "has no host";
  if (authority.find('@') != std::string_view::npos) return "must not contain user info";
  if (url.find('#') != std::string_view::npos) return "must not contain a fragment";
  if (!allow_query && url.find('?') != std::string_view::npos) return "must not contain a query";
  return {};
}

std::string CheckPath(const std::string& path) {
  if (!path.starts_with('/')) return "must start with '/'";
  if (!IsUrlText(path)) return "must not contain spaces or control characters";
  if (path.find('#') != std::string::npos) return "must not contain a fragment";
  return {};
}

std::string CheckNetwork(const std::string& network) {
  if (network.empty() || network.size() > 32) return "must be a network name such as mainnet or testnet";
  for (char c : network) {
    if (!IsLowerAlnum(c) && c != '-') return "must be a network name such as mainnet or testnet";
  }
  return {};
}

Error ConfigError(std::string_view section, std::string_view key, std::string_view why) {
  std::string text(section);
  text += '.';
  text += key;
  text += ' ';
  text += why;
  return MakeError(ErrorKind::kUsage, "config: " + text);
}

Status ApplyKey(Service& service, std::string_view section, const std::string& key,
                const std::string& value) {
  std::string problem;
  if (key == "url") {
    problem = CheckUrl(value, /*allow_query=*/false);
    if (problem.empty()) {
      service.base_url = value;
      while (service.base_url.ends_with('/')) service.base_url.pop_back();  // chat_path brings its own '/'
    }
  } else if (key == "chat_path") {
    problem = CheckPath(value);
    if (problem.empty()) service.chat_path = value;
  } else if (key == "models_path") {
    if (value.empty()) {
      service.models_path.reset();  // an empty value switches an inherited listing off
    } else {
      problem = CheckPath(value);
      if (problem.empty()) service.models_path = value;
    }
  } else if (key == "models_method") {
    if (value == "GET" || value == "POST") {
      service.models_method = value;
    } else {
      problem = "must be GET or POST";
    }
  } else if (key == "max_tokens_field") {
    problem = IsIdentifier(value) ? "" : "must be a JSON field name such as max_tokens";
    if (problem.empty()) service.max_tokens_field = value;
  } else if (key == "model") {
    if (!IsUrlText(value) && !value.empty()) {
      problem = "must not contain spaces or control characters";
    } else {
      service.default_model = value;
    }
  } else if (key == "network") {
    problem = CheckNetwork(value);
    if (problem.empty()) service.network = value;
  } else {
    problem =
        "is not a service setting (known: url, chat_path, max_tokens_field, model, models_path, "
        "models_method, network)";
  }
  if (!problem.empty()) return ConfigError(section, key, problem);
  return {};
}

}  // namespace

std::span<const ServicePreset> BuiltinPresets() { return kPresets; }

std::vector<Service> BuiltinServices() {
  std::vector<Service> services;
  services.reserve(kPresets.size());
  for (const auto& preset : kPresets) services.push_back(FromPreset(preset));
  return services;
}

const Service* FindService(const std::vector<Service>& services, std::string_view name) {
  for (const auto& service : services) {
    if (service.name == name) return &service;
  }
  return nullptr;
}

std::string ChatUrl(const Service& service) { return service.base_url + service.chat_path; }

std::optional<std::string> ModelsUrl(const Service& service) {
  if (!service.models_path) return std::nullopt;
  return service.base_url + *service.models_path;
}

Result<std::vector<Service>> MergeConfiguredServices(std::vector<Service> services,
                                                     const ConfigSections& config) {
  for (const auto& [section, values] : config) {
    if (!section.starts_with(kSectionPrefix)) continue;
    std::string name = section.substr(kSectionPrefix.size());
    if (!IsServiceName(name)) {
      return MakeError(
          ErrorKind::kUsage,
          "config: [" + section + "]: a service name uses lowercase letters, digits, '-' and '_'");
    }
    Service* target = nullptr;
    for (auto& service : services) {
      if (service.name == name) target = &service;
    }
    Service added;
    if (target == nullptr) {
      if (values.find("url") == values.end()) {
        return MakeError(ErrorKind::kUsage,
                         "config: " + section + ".url is missing; a new service needs its base URL");
      }
      added.name = name;
      added.chat_path = kDefaultChatPath;
      target = &added;
    }
    for (const auto& [key, value] : values) {
      if (auto applied = ApplyKey(*target, section, key, value); !applied) return applied.error();
    }
    if (target == &added) services.push_back(std::move(added));
  }
  return services;
}

Result<Service> ServiceForUrl(std::string_view url) {
  if (std::string problem = CheckUrl(url, /*allow_query=*/true); !problem.empty()) {
    return MakeError(ErrorKind::kUsage, "--url " + problem);
  }
  Service service;
  service.name = url;
  service.base_url = url;  // the endpoint exactly as given: chat_path stays empty
  return service;
}

}  // namespace mpp::llm
