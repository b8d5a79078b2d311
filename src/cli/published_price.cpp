#include "cli/published_price.h"

#include <fcntl.h>

#include <charconv>

#include "cli/quote_discover.h"
#include "llm/discovery.h"
#include "util/amount.h"
#include "util/files.h"
#include "util/message.h"
#include "util/text.h"
#include "wallet/paths.h"

namespace mpp::cli {
namespace {

constexpr std::string_view kEntryMagic = "mpp-discovery 1 ";

// The document of `document_url`, fetched without paying; absent when the service has none to give.
// nullopt when it could not be reached (not cached: the next call tries again).
std::optional<DiscoveryEntry> FetchDocument(protocol::PayFlow& flow, const std::string& document_url,
                                            std::int64_t now) {
  net::HttpRequest request;
  request.url = document_url;
  request.headers.push_back({"Accept", "application/json"});
  auto response = flow.Probe(request);
  if (!response) {
    msg::Verbose("the price list " + document_url + " could not be fetched (" + response.error().message +
                 "); no published price to compare");
    return std::nullopt;
  }
  DiscoveryEntry entry;
  entry.fetched_at = now;
  const bool usable = response->status / 100 == 2 && response->body.size() <= kMaxCachedDocumentBytes;
  if (!usable) {
    msg::Verbose(document_url + " answered " + std::to_string(response->status) +
                 (response->status / 100 == 2 ? " with too large a document" : "") +
                 "; no published price to compare");
    entry.absent = true;
  } else {
    entry.body = std::move(response->body);
  }
  return entry;
}

}  // namespace

std::string DiscoveryCacheName(std::string_view document_url) {
  std::string_view origin = document_url;
  if (auto slash =
          origin.find('/', origin.find("://") == std::string_view::npos ? 0 : origin.find("://") + 3);
      slash != std::string_view::npos) {
    origin = origin.substr(0, slash);
  }
  std::string name;
  for (char c : origin.substr(0, 200)) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    name.push_back(plain ? c : '_');
  }
  return name + ".cache";
}

std::string RenderDiscoveryEntry(const DiscoveryEntry& entry) {
  return std::string(kEntryMagic) + std::to_string(entry.fetched_at) +
         (entry.absent ? " absent\n" : " ok\n") + (entry.absent ? std::string() : entry.body);
}

std::optional<DiscoveryEntry> ParseDiscoveryEntry(std::string_view text) {
  if (!text.starts_with(kEntryMagic)) return std::nullopt;
  text.remove_prefix(kEntryMagic.size());
  const std::size_t line_end = text.find('\n');
  if (line_end == std::string_view::npos) return std::nullopt;
  std::string_view head = text.substr(0, line_end);
  DiscoveryEntry entry;
  auto [ptr, ec] = std::from_chars(head.data(), head.data() + head.size(), entry.fetched_at);
  if (ec != std::errc() || entry.fetched_at < 0) return std::nullopt;
  const std::string_view state(ptr, head.data() + head.size() - ptr);
  if (state == " absent") {
    entry.absent = true;
    if (line_end + 1 != text.size()) return std::nullopt;
  } else if (state != " ok") {
    return std::nullopt;
  }
  if (!entry.absent) entry.body = std::string(text.substr(line_end + 1));
  return entry;
}

bool IsFreshEntry(std::int64_t fetched_at, std::int64_t now) {
  return fetched_at <= now && now - fetched_at < kDiscoveryCacheSeconds;
}

std::vector<PublishedPrice> DiscoveredPrices(protocol::PayFlow& flow, const std::string& chat_url,
                                             const std::filesystem::path& cache_dir, std::int64_t now) {
  auto document_url = DiscoveryUrl(chat_url);
  if (!document_url) return {};
  const std::filesystem::path file = cache_dir / DiscoveryCacheName(*document_url);
  std::optional<DiscoveryEntry> entry;
  if (auto text = files::ReadCapped(file, kMaxCachedDocumentBytes + 64, ErrorKind::kWallet, O_NOFOLLOW)) {
    entry = ParseDiscoveryEntry(*text);
    if (entry && !IsFreshEntry(entry->fetched_at, now)) entry.reset();
    if (entry) msg::Verbose("the price list of " + *document_url + " from the cache (" + file.string() + ")");
  }
  if (!entry) {
    entry = FetchDocument(flow, *document_url, now);
    if (!entry) return {};
    if (auto made = wallet::EnsurePrivateDirectory(cache_dir); !made) {
      msg::Verbose("the price list is not cached: " + made.error().message);
    } else if (auto written =
                   files::WriteAtomic(file, RenderDiscoveryEntry(*entry), files::ExistingFile::kReplace, 0600,
                                      ErrorKind::kWallet, files::Sync::kNone);
               !written) {
      msg::Verbose("the price list is not cached: " + written.error().message);
    }
  }
  if (entry->absent) return {};
  auto found = llm::ParseDiscoveryDocument(entry->body);
  if (!found) {
    msg::Verbose(*document_url + ": " + found.error().message + "; no published price to compare");
    return {};
  }
  auto prices = PublishedPricesFor(found->offers, UrlPath(chat_url), "POST");
  for (auto& price : prices) price.source = *document_url;
  if (prices.empty()) msg::Verbose(*document_url + " publishes no tempo price for this endpoint");
  return prices;
}

std::vector<PublishedPrice> CollectPublishedPrices(const std::string& template_name,
                                                   const std::string& chat_url,
                                                   const PaymentSettings& settings, protocol::PayFlow& flow,
                                                   const Services& services) {
  std::vector<PublishedPrice> prices;
  if (!settings.max_drift) return prices;
  if (!template_name.empty()) {
    if (auto loaded = LoadTemplate(template_name, services.env))
      prices = TemplatePrices(*loaded, template_name);
  }
  if (settings.max_drift_given) {
    if (auto paths = wallet::ResolvePaths(services.env)) {
      auto found = DiscoveredPrices(flow, chat_url, paths->data_dir / "discovery", services.now());
      prices.insert(prices.end(), found.begin(), found.end());
    }
  }
  return prices;
}

std::vector<PublishedPrice> TemplatePrices(const ChatTemplate& chat_template, std::string_view name) {
  if (!chat_template.last_price) return {};
  const auto& last = *chat_template.last_price;
  return {PublishedPrice{last.amount, last.currency, last.intent,
                         "the last price paid with template " + std::string(name)}};
}

void RecordTemplatePrice(std::string_view name, const U256& amount, const std::string& currency,
                         std::string_view intent, const wallet::EnvLookup& env) {
  auto loaded = LoadTemplate(name, env);
  if (!loaded) {
    msg::Warning("the price paid was not recorded in template " + std::string(name) + ": " +
                 loaded.error().message);
    return;
  }
  if (loaded->last_price && loaded->last_price->amount == amount &&
      loaded->last_price->currency == currency && loaded->last_price->intent == intent) {
    return;
  }
  loaded->last_price = PaidPrice{amount, currency, std::string(intent)};
  if (auto saved = SaveTemplate(name, *loaded, env); !saved) {
    msg::Warning("the price paid was not recorded in template " + std::string(name) + ": " +
                 saved.error().message);
    return;
  }
  msg::Verbose("template " + std::string(name) + " records the price paid, " + FormatTokenAmount(amount));
}

}  // namespace mpp::cli
