// --max-drift and max_drift: a price the service published (its OpenAPI document's x-payment-info, or
// the last price a template paid) against what its 402 asks. A 402 asking more than the published price
// plus the allowed drift is refused before anything is signed or journaled (exit 5). The math is pure;
// DriftHook is the before-paying check (PayContext::CheckBeforePaying).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/discovery.h"
#include "mpp/selection.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::cli {

constexpr std::uint32_t kDefaultMaxDriftPercent = 20;
constexpr std::uint32_t kMaxDriftPercent = 10000;

// What ParseMaxDrift returns for "off".
constexpr std::uint32_t kMaxDriftOff = 0xffffffff;

// "20%", "20" (percent, a whole number 0 to kMaxDriftPercent) as the percent; "off" (any case) as
// kMaxDriftOff; nullopt for anything else.
std::optional<std::uint32_t> ParseMaxDrift(std::string_view text);

// Whether `asked` is within `published` plus `percent` percent: asked * 100 <= published * (100 +
// percent), exactly, for any U256 (no overflow: a limit past 2^256 allows everything).
bool WithinDrift(const U256& asked, const U256& published, std::uint32_t percent);

// "+50%", "-20%", "+0%": how much `asked` differs from `published`, rounded toward zero; "+inf%" when
// published is zero and asked is not.
std::string DriftText(const U256& asked, const U256& published);

// One price a service published, for one intent and currency.
struct PublishedPrice {
  std::optional<U256> amount;  // base units; nullopt: dynamic (nothing to compare)
  std::string currency;        // token address as published (compared case-insensitively)
  std::string intent;          // "charge", "session"
  std::string source;          // "http://host/openapi.json", "template review", for messages
};

// The tempo offers of `offers` for `path` and `method` as published prices (an unparseable amount is
// dropped).
std::vector<PublishedPrice> PublishedPricesFor(const std::vector<llm::PaymentOffer>& offers,
                                               std::string_view path, std::string_view method);

// What the check makes of a chosen challenge.
struct DriftCheck {
  const PublishedPrice* compared = nullptr;  // the price compared with; null: nothing comparable
  bool refused = false;
  std::string note;  // for -v: why nothing was compared, or how the prices compare
};

// Compares the chosen challenge (its amount: a session's per-request price) with every published price
// of the same intent and currency; refused when it asks more than any of them allows. Nothing is compared
// (not refused) when the prices are dynamic, in another currency or for another intent, or when `percent` is
// nullopt (off).
DriftCheck CheckDrift(const protocol::ChallengeVerdict& chosen, const std::vector<PublishedPrice>& prices,
                      std::optional<std::uint32_t> percent);

// For `mpp quote`: "published 0.001 pathUSD (SOURCE), asks 0.0015 pathUSD (+50%; --max-drift 20%)",
// with "; chat would refuse it" when it would, and a newline; empty when nothing is compared.
std::string QuoteDriftLine(const protocol::ChallengeVerdict& chosen,
                           const std::vector<PublishedPrice>& prices, std::optional<std::uint32_t> percent);

// The kPaymentRefusedLocally error: both prices, the service, and how to proceed.
Error DriftRefusal(const protocol::ChallengeVerdict& chosen, const PublishedPrice& published,
                   std::uint32_t percent, std::string_view service);

// The before-paying hook: CheckDrift, -v notes, DriftRefusal. Null when there is nothing to compare.
std::function<Status(const protocol::ChallengeVerdict&)> DriftHook(std::vector<PublishedPrice> prices,
                                                                   std::optional<std::uint32_t> percent,
                                                                   std::string service);

}  // namespace mpp::cli
