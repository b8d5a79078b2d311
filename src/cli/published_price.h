// Where chat finds a service's published price: its OpenAPI document (x-payment-info), fetched only when
// --max-drift (or MPP_MAX_DRIFT, or max_drift in the config) asks for the check and kept per origin
// under <data dir>/discovery for a day, so a call costs the extra round trip at most once a day per
// service; and the last price a template paid (ChatTemplate::last_price), which costs nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/chat_template.h"
#include "cli/command_services.h"
#include "cli/payment_options.h"
#include "cli/price_drift.h"
#include "mpp/flow.h"

namespace mpp::cli {

// How long a fetched document (or the service's lack of one) is trusted.
constexpr std::int64_t kDiscoveryCacheSeconds = 24 * 3600;
// The largest document kept; a bigger one counts as none.
constexpr std::size_t kMaxCachedDocumentBytes = 256 * 1024;

// One origin's cache entry.
struct DiscoveryEntry {
  std::int64_t fetched_at = 0;  // UNIX seconds
  bool absent = false;          // the service publishes no usable document (404, 402, not JSON, too big)
  std::string body;             // the document when not absent
};

// The entry's file name for the document URL `document_url` ("http://host:port/openapi.json"): its
// scheme, host and port with anything but [A-Za-z0-9.-] turned into '_'.
std::string DiscoveryCacheName(std::string_view document_url);

// The entry as stored ("mpp-discovery 1 FETCHED_AT ok|absent\n" then the body) and back; nullopt for
// anything else. Pure.
std::string RenderDiscoveryEntry(const DiscoveryEntry& entry);
std::optional<DiscoveryEntry> ParseDiscoveryEntry(std::string_view text);

// Whether an entry fetched at `fetched_at` is still trusted at `now` (a clock gone backwards: no).
bool IsFreshEntry(std::int64_t fetched_at, std::int64_t now);

// The prices published for POST `chat_url`: from the cache in `cache_dir` when fresh, else fetched
// through `flow` (no payment) and cached. Never fails: anything wrong means no prices, said with -v.
std::vector<PublishedPrice> DiscoveredPrices(protocol::PayFlow& flow, const std::string& chat_url,
                                             const std::filesystem::path& cache_dir, std::int64_t now);

// The prices a call to POST `chat_url` is compared with (--max-drift): the template `template_name`'s
// last price paid (when one is named), and, when settings.max_drift_given, what the service publishes
// (DiscoveredPrices, cached under <data dir>/discovery). None when the check is off.
std::vector<PublishedPrice> CollectPublishedPrices(const std::string& template_name,
                                                   const std::string& chat_url,
                                                   const PaymentSettings& settings, protocol::PayFlow& flow,
                                                   const Services& services);

// The template's recorded last price, as a published price (none when it has none).
std::vector<PublishedPrice> TemplatePrices(const ChatTemplate& chat_template, std::string_view name);

// After a paid call made with -t NAME: records what it paid (`chosen`'s per-call price, currency and
// intent) in the template, rewriting the file atomically with everything else kept. A failure is a
// warning, never an error: the call is paid and done.
void RecordTemplatePrice(std::string_view name, const U256& amount, const std::string& currency,
                         std::string_view intent, const wallet::EnvLookup& env);

}  // namespace mpp::cli
