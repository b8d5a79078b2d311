// Just enough URL handling to compare origins and decide where a credential may go.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mpp::net {

struct Origin {
  std::string scheme;  // lowercase
  std::string host;    // lowercase, brackets kept for IPv6 literals
  int port = 0;        // explicit or the scheme's default
  friend bool operator==(const Origin&, const Origin&) = default;
};

// The origin of an absolute http(s) URL; nullopt for anything else (other schemes, userinfo,
// missing host, bad port).
std::optional<Origin> ParseOrigin(std::string_view url);

// localhost, 127.0.0.0/8 or ::1.
bool IsLoopbackHost(std::string_view host);

// Whether a payment credential may be sent to this origin: https anywhere, http only to loopback.
bool MayCarryCredential(const Origin& origin);

// Whether a request to `url` must bypass any proxy the environment names (http_proxy, ALL_PROXY, ...):
// always for loopback, and for a plain-http URL whose request carries a credential (`credential`), since
// a proxy would read it in clear. An https request through a proxy is a tunnel the proxy cannot read.
bool MustBypassProxy(std::string_view url, bool credential);

// Resolves a Location header against the request URL (absolute, or absolute-path references).
std::optional<std::string> ResolveLocation(std::string_view base_url, std::string_view location);

}  // namespace mpp::net
