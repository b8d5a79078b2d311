// `mpp quote --discover`: the price list a service publishes in its OpenAPI document.
#pragma once

#include <optional>
#include <string>

#include "cli/command.h"
#include "llm/services.h"
#include "mpp/flow.h"

namespace mpp::cli {

// scheme://host[:port]/openapi.json for the origin of `url`, or nullopt when it is not http(s).
std::optional<std::string> DiscoveryUrl(const std::string& url);

// The path of `url` ("/v1/chat/completions"), without query; "/" when it has none.
std::string UrlPath(const std::string& url);

// Fetches the document through `flow` without paying, and prints the offers (table, or JSON with
// `json`). kNetwork when it cannot be fetched, asks for payment, or lists no offers.
Status RunDiscover(protocol::PayFlow& flow, const llm::Service& service, bool json, Io& io);

}  // namespace mpp::cli
