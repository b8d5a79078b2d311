// Choosing the chat service a command talks to: --service NAME, --url URL, --base-url URL, the config
// file's `service` key and [services.NAME] sections, over the built-in presets.
#pragma once

#include <string>

#include "cli/config.h"
#include "cli/payment_options.h"
#include "llm/services.h"
#include "util/error.h"
#include "wallet/env.h"

namespace CLI {
class App;
}

namespace mpp::cli {

// The preset used when neither --service, --url nor the config's `service` names one.
inline constexpr const char* kDefaultServiceName = "groq";

// As given on the command line; empty means "not given".
struct ServiceFlags {
  std::string service;
  std::string url;
  std::string base_url;
};

// Adds --service, --url (described by `url_help`) and --base-url.
void AddServiceFlags(CLI::App& app, ServiceFlags& flags, const char* url_help);

// The service to call: --url URL as an ad-hoc endpoint; else --service NAME, else the config's
// `service`, else kDefaultServiceName, looked up among the presets merged with the config's services,
// with --base-url replacing its base URL (validated like a config `url`). Refuses (kUsage) --url
// together with --service or --base-url, an unknown name (listing the known ones), and bad URLs.
Result<llm::Service> ResolveService(const ServiceFlags& flags, const ConfigValues& config);

// `flags` with --network defaulted to the service's network when neither --network, MPP_NETWORK nor
// the config's `network` chose one, so a config service marked network = "testnet" pays on testnet.
PaymentFlags WithServiceNetwork(PaymentFlags flags, const llm::Service& service, const ConfigValues& config,
                                const wallet::EnvLookup& env);

// What chat, models and quote all start from: the config file, the service, and the payment
// settings resolved for that service.
struct ServiceTarget {
  llm::Service service;
  PaymentSettings settings;
};

// Loads the config (--config), resolves the service and then the payment settings over it; the
// environment is `env`.
Result<ServiceTarget> ResolveServiceTarget(const ServiceFlags& service_flags,
                                           const PaymentFlags& payment_flags, const wallet::EnvLookup& env);

}  // namespace mpp::cli
