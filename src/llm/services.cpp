#include "llm/services.h"

#include <array>
#include <utility>

#include "net/url.h"
#include "util/text.h"

namespace mpp::llm {
namespace {

// What the services serve today (../shared/SERVICES.md sections 2, 3, 5, 6). Locus (groq, grok) has no
// event streams and wraps answers in {"success":true,"data":...}; Groq alone has a (paid) listing
// route, so the others carry the model ids seen working on them.
constexpr std::array<std::string_view, 0> kNoModels{};
constexpr std::array<std::string_view, 3> kGrokModels{"grok-4.6", "grok-4.3", "grok-3-mini"};
constexpr std::array<std::string_view, 2> kOpenRouterModels{"openai/gpt-4o-mini",
                                                            "meta-llama/llama-3.3-70b-instruct"};
constexpr std::array<std::string_view, 1> kOpenAiModels{"gpt-4o-mini"};

constexpr std::array kPresets = {
    ServicePreset{"groq", "https://groq.mpp.paywithlocus.com", "/groq/chat", "/groq/models", "POST",
                  "max_completion_tokens", "openai/gpt-oss-20b", "mainnet", false, true, kNoModels, "Locus"},
    ServicePreset{"grok", "https://grok.mpp.paywithlocus.com", "/grok/chat", "", "POST", "max_tokens",
                  "grok-4.6", "mainnet", false, true, kGrokModels, "Locus"},
    ServicePreset{"openrouter", "https://openrouter.mpp.tempo.xyz", "/v1/chat/completions", "", "GET",
                  "max_tokens", "openai/gpt-4o-mini", "mainnet", true, false, kOpenRouterModels, "Tempo"},
    ServicePreset{"openai", "https://openai.mpp.tempo.xyz", "/v1/chat/completions", "", "GET", "max_tokens",
                  "gpt-4o-mini", "mainnet", true, false, kOpenAiModels, "Tempo"},
};

constexpr std::string_view kServiceKeys[] = {"url",         "chat_path",     "max_tokens_field", "model",
                                             "models_path", "models_method", "network"};

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
  service.streams = preset.streams;
  service.success_envelope = preset.success_envelope;
  service.builtin_models.assign(preset.builtin_models.begin(), preset.builtin_models.end());
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

std::string CheckBool(const std::string& value, bool& out) {
  if (value == "true") {
    out = true;
  } else if (value == "false") {
    out = false;
  } else {
    return "must be true or false";
  }
  return {};
}

// "a, b,c" -> {"a", "b", "c"}; an empty value is an empty list.
std::string CheckModelList(const std::string& value, std::vector<std::string>& out) {
  constexpr const char* kProblem = "must be model ids separated by commas";
  std::vector<std::string> ids;
  std::string_view rest = value;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view id = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (id.empty() || id.size() > 200 || !IsUrlText(id)) return kProblem;
    if (comma != std::string_view::npos && rest.empty()) return kProblem;  // a trailing comma
    ids.emplace_back(id);
  }
  out = std::move(ids);
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
  } else if (key == "stream") {
    problem = CheckBool(value, service.streams);
  } else if (key == "envelope") {
    problem = CheckBool(value, service.success_envelope);
  } else if (key == "models") {
    problem = CheckModelList(value, service.builtin_models);
  } else {
    problem =
        "is not a service setting (known: url, chat_path, max_tokens_field, model, models_path, "
        "models_method, network, stream, envelope, models)";
  }
  if (!problem.empty()) return ConfigError(section, key, problem);
  return {};
}

}  // namespace

std::span<const ServicePreset> BuiltinPresets() { return kPresets; }

std::span<const std::string_view> ServiceConfigKeys() { return kServiceKeys; }

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

bool IsLocusHost(std::string_view host) {
  constexpr std::string_view kLocus = "paywithlocus.com";
  std::string lower = AsciiLower(host);
  if (lower.ends_with('.')) lower.pop_back();
  return lower == kLocus || (lower.size() > kLocus.size() && lower.ends_with(kLocus) &&
                             lower[lower.size() - kLocus.size() - 1] == '.');
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
  if (auto origin = net::ParseOrigin(url); origin && IsLocusHost(origin->host)) {
    service.streams = false;
    service.success_envelope = true;
  }
  return service;
}

}  // namespace mpp::llm
