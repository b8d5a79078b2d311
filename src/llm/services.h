// The chat services mpp knows: built-in presets (one table, data not code), the user's additions and
// overrides from the config file, and the ad-hoc service behind `--url`.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace mpp::llm {

struct Service {
  std::string name;       // as the user types it after --service; for --url, the URL itself
  std::string base_url;   // scheme://host[:port][/prefix], no trailing '/'
  std::string chat_path;  // appended to base_url; empty for a --url service (base_url is the endpoint)
  std::optional<std::string> models_path;       // nullopt: the service lists no models
  std::string models_method = "GET";            // "GET" or "POST"
  std::string max_tokens_field = "max_tokens";  // where --max-tokens goes in the request
  std::string default_model;        // empty: the request must name a model, or the server picks one
  std::string network = "mainnet";  // the Tempo network its payments are expected on
  // Whether the service answers `"stream": true` with an event stream. When false (Locus), mpp sends
  // no stream field and prints the text as soon as the JSON answer is in.
  bool streams = true;
  // Whether success bodies come wrapped as {"success":true,"data":{...}} (the Locus gateway), to be
  // unwrapped wherever a completion or a model list is read.
  bool success_envelope = false;
  // Model ids mpp knows for a service with no listing route; `mpp models` prints them, marked built in.
  std::vector<std::string> builtin_models;
};

// One row of the built-in table; empty models_path means "no models listing route".
struct ServicePreset {
  std::string_view name;
  std::string_view base_url;
  std::string_view chat_path;
  std::string_view models_path;
  std::string_view models_method;
  std::string_view max_tokens_field;
  std::string_view default_model;
  std::string_view network;
  bool streams;
  bool success_envelope;
  std::span<const std::string_view> builtin_models;
  std::string_view gateway;  // who runs it, for --help and docs: "Locus" or "Tempo"
};

// The built-in presets (groq, grok, openrouter, openai), in the order `--help` lists them.
std::span<const ServicePreset> BuiltinPresets();

// The presets as Services.
std::vector<Service> BuiltinServices();

// The service called `name` (exact match), or nullptr. The pointer is into `services`.
const Service* FindService(const std::vector<Service>& services, std::string_view name);

// True for a host the Locus gateway serves (paywithlocus.com or a subdomain), case-insensitively.
bool IsLocusHost(std::string_view host);

// The chat completions endpoint: base_url + chat_path.
std::string ChatUrl(const Service& service);

// The models endpoint, or nullopt when the service has no listing route (see builtin_models).
std::optional<std::string> ModelsUrl(const Service& service);

// Config values, section -> key -> value, as the config file reader produces them. Services live in
// sections "services.NAME" with keys url, chat_path, max_tokens_field, model, models_path,
// models_method, network, stream ("true"/"false": Service::streams), envelope ("true"/"false":
// Service::success_envelope), models (comma-separated built-in model ids); other sections are ignored.
using ConfigSections = std::map<std::string, std::map<std::string, std::string>>;

// The keys a [services.NAME] table may set, in the order messages list them.
std::span<const std::string_view> ServiceConfigKeys();

// `services` with the config's services applied: a section naming an existing service overrides only
// the keys it sets; a new name adds a service, which needs `url` and defaults chat_path to
// "/v1/chat/completions", max_tokens_field to "max_tokens", models_method to "GET", network to
// "mainnet", and has no models listing and no default model unless set. Refuses (kUsage, naming the
// config key, e.g. "services.mine.url") unknown keys, bad names, non-http(s) URLs or URLs with a query
// or fragment, paths not starting with '/', field names that are not identifiers, other models
// methods, and malformed network names. Whether the network is one mpp knows is for the caller to check.
Result<std::vector<Service>> MergeConfiguredServices(std::vector<Service> services,
                                                     const ConfigSections& config);

// The service behind `--url URL` (a full chat endpoint): base_url is the URL, chat_path is empty,
// max_tokens_field "max_tokens", no models listing, network "mainnet", and no default model, so the
// request must name a model (-m, or "model" in a stdin request) or the server decides. A URL on a Locus
// host (*.paywithlocus.com) gets Locus's shape: no streaming, success bodies in the envelope. The URL is kept
// exactly (a query such as ?api-version=... stays). Refuses (kUsage, naming --url) non-http(s) URLs,
// URLs without a host, with user info, a fragment, spaces or control characters.
Result<Service> ServiceForUrl(std::string_view url);

}  // namespace mpp::llm
