#include "cli/quote_discover.h"

#include <ostream>

#include "cli/http_error.h"
#include "cli/quote_render.h"
#include "llm/discovery.h"
#include "net/url.h"
#include "util/message.h"

namespace mpp::cli {

std::optional<std::string> DiscoveryUrl(const std::string& url) {
  auto origin = net::ParseOrigin(url);
  if (!origin) return std::nullopt;
  std::string text = origin->scheme + "://" + origin->host;
  bool default_port =
      (origin->scheme == "https" && origin->port == 443) || (origin->scheme == "http" && origin->port == 80);
  if (!default_port) text.append(":").append(std::to_string(origin->port));
  return text + "/openapi.json";
}

std::string UrlPath(const std::string& url) {
  std::size_t scheme = url.find("://");
  std::size_t start = url.find_first_of("/?#", scheme == std::string::npos ? 0 : scheme + 3);
  if (start == std::string::npos || url[start] != '/') return "/";
  return url.substr(start, url.find_first_of("?#", start) - start);
}

Status RunDiscover(protocol::PayFlow& flow, const llm::Service& service, bool json, Io& io) {
  std::string chat_url = llm::ChatUrl(service);
  auto document_url = DiscoveryUrl(chat_url);
  if (!document_url)
    return MakeError(ErrorKind::kUsage, "'" + chat_url + "' is not an http:// or https:// URL");
  net::HttpRequest request;
  request.url = *document_url;
  request.headers.push_back({"Accept", "application/json"});
  auto response = flow.Probe(request);
  if (!response) return response.error();
  if (response->status == 402) {
    return MakeError(
        ErrorKind::kNetwork,
        *document_url +
            " asks for payment; a price list should be free (try 'mpp quote' without --discover)");
  }
  if (!IsSuccess(*response)) return HttpStatusError(*response, *document_url);
  auto found = llm::ParseDiscoveryDocument(response->body);
  if (!found) return MakeError(ErrorKind::kNetwork, *document_url + ": " + found.error().message);
  if (found->skipped > 0) {
    msg::Warning(std::to_string(found->skipped) + " malformed x-payment-info offer(s) in " + *document_url +
                 " left out");
  }
  if (found->offers.empty()) {
    return MakeError(ErrorKind::kNetwork,
                     *document_url + " lists no x-payment-info offers (try 'mpp quote' without --discover)");
  }
  std::string path = UrlPath(chat_url);
  io.out << (json ? RenderOffersJson(*document_url, found->offers, path)
                  : RenderOffersText(*document_url, found->offers, path));
  return {};
}

}  // namespace mpp::cli
