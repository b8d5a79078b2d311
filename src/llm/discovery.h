// Reading a service's price list from its OpenAPI document (draft-payment-discovery): every
// operation's `x-payment-info` offers, free to fetch, no payment probe. The 402 challenge stays
// authoritative; these prices are advisory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace mpp::llm {

// One payment offer of one operation.
struct PaymentOffer {
  std::string http_method;            // "POST", uppercase
  std::string path;                   // "/v1/chat/completions"
  std::string intent;                 // "charge", "session", ...
  std::string payment_method;         // "tempo", "stripe", ...
  std::optional<std::string> amount;  // base units, ASCII digits; nullopt: dynamic pricing
  std::string currency;               // token address or ISO 4217 code; may be empty
  std::string description;            // display-safe; may be empty
};

struct DiscoveredOffers {
  std::vector<PaymentOffer> offers;  // in document order: paths, then operations, then offers
  std::size_t skipped = 0;           // malformed offers left out (for a warning)
};

// The offers in an OpenAPI document. `x-payment-info` sits on operations (paths.<path>.<method>) and is
// either one offer object or {"offers": [...]}; both are read. An offer needs string "intent" and
// "method" and an "amount" that is null or a string of digits; others are skipped and counted. All
// text is made display-safe. Fails (kNetwork) when the document is not JSON, not an object, or has no
// "paths" object.
Result<DiscoveredOffers> ParseDiscoveryDocument(std::string_view json);

// "dynamic" for a null amount; for a "tempo" offer whose currency is a 0x address, the amount in token
// units of a TIP-20 stablecoin (6 decimals: "5000" -> "0.005"); otherwise the base units as given.
std::string OfferAmountText(const PaymentOffer& offer);

}  // namespace mpp::llm
