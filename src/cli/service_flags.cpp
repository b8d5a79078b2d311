#include "cli/service_flags.h"

#include <CLI/CLI.hpp>

#include "tempo/chains.h"

namespace mpp::cli {
namespace {

// The config's [services.NAME] sections, keyed as MergeConfiguredServices expects ("services.NAME").
llm::ConfigSections ServiceSections(const ConfigValues& config) {
  llm::ConfigSections sections;
  for (auto& [name, values] : config.Sections("services")) {
    std::erase_if(values, [](const auto& entry) { return IsServicePaymentKey(entry.first); });
    sections["services." + name] = values;
  }
  return sections;
}

Result<std::vector<llm::Service>> AllServices(const ConfigValues& config) {
  return llm::MergeConfiguredServices(llm::BuiltinServices(), ServiceSections(config));
}

std::string Names(const std::vector<llm::Service>& services) {
  std::string names;
  for (const auto& service : services) {
    if (!names.empty()) names += ", ";
    names += service.name;
  }
  return names;
}

}  // namespace

void AddServiceFlags(CLI::App& app, ServiceFlags& flags, const char* url_help) {
  std::string presets;
  for (const auto& preset : llm::BuiltinPresets()) {
    if (!presets.empty()) presets += ", ";
    presets += preset.name;
  }
  auto* service = app.add_option("--service", flags.service,
                                 "Service preset or config service (" + presets +
                                     "; config key `service`; default " + kDefaultServiceName + ")");
  auto* url = app.add_option("--url", flags.url, url_help);
  app.add_option("--base-url", flags.base_url,
                 "Replace the service's base URL (scheme://host[:port][/prefix]), e.g. a local test server");
  service->excludes(url);
}

Result<llm::Service> ResolveService(const ServiceFlags& flags, const ConfigValues& config) {
  if (!flags.url.empty()) {
    if (!flags.base_url.empty()) {
      return MakeError(ErrorKind::kUsage,
                       "--base-url applies to a named service; --url already is the whole endpoint");
    }
    return llm::ServiceForUrl(flags.url);
  }
  auto services = AllServices(config);
  if (!services) return services.error();
  std::string name = flags.service;
  std::string source = "--service";
  if (name.empty()) {
    if (auto configured = config.Get("service"); configured && !configured->empty()) {
      name = *configured;
      source = "config service";
    } else {
      name = kDefaultServiceName;
    }
  }
  const llm::Service* found = llm::FindService(*services, name);
  if (found == nullptr) {
    return MakeError(ErrorKind::kUsage, "unknown service '" + name + "' from " + source +
                                            " (known: " + Names(*services) + "; add one under [services." +
                                            name + "] in the config file, or use --url)");
  }
  llm::Service service = *found;
  if (tempo::FindChainByName(service.network) == nullptr) {
    return MakeError(ErrorKind::kUsage, "config: services." + service.name + ".network '" + service.network +
                                            "' is not a network mpp knows (mainnet or testnet)");
  }
  if (!flags.base_url.empty()) {
    // Validated exactly like a config `url`, by the same code.
    llm::ConfigSections override{{"services." + service.name, {{"url", flags.base_url}}}};
    auto merged = llm::MergeConfiguredServices({service}, override);
    if (!merged) {
      std::string why = merged.error().message;
      std::string key = "config: services." + service.name + ".url ";
      if (why.starts_with(key)) why = why.substr(key.size());
      return MakeError(ErrorKind::kUsage, "--base-url " + why);
    }
    service = merged->front();
  }
  return service;
}

PaymentFlags WithServiceNetwork(PaymentFlags flags, const llm::Service& service, const ConfigValues& config,
                                const wallet::EnvLookup& env) {
  if (!flags.network.empty()) return flags;
  const char* from_env = env("MPP_NETWORK");
  if (from_env != nullptr && *from_env != '\0') return flags;
  if (auto configured = config.Get("network"); configured && !configured->empty()) return flags;
  flags.network = service.network;
  return flags;
}

Result<ServiceTarget> ResolveServiceTarget(const ServiceFlags& service_flags,
                                           const PaymentFlags& payment_flags, const wallet::EnvLookup& env) {
  auto config = LoadConfig(payment_flags.config_file, env);
  if (!config) return config.error();
  auto service = ResolveService(service_flags, *config);
  if (!service) return service.error();
  auto settings = ResolvePaymentSettings(WithServiceNetwork(payment_flags, *service, *config, env), *config,
                                         env, service->name);
  if (!settings) return settings.error();
  return ServiceTarget{std::move(*service), std::move(*settings)};
}

}  // namespace mpp::cli
