#include "net/url.h"

#include <charconv>

#include "util/text.h"

namespace mpp::net {

std::optional<Origin> ParseOrigin(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  Origin origin;
  origin.scheme = AsciiLower(url.substr(0, scheme_end));
  if (origin.scheme != "http" && origin.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  // A colon outside brackets is a second port ("host:80:80"), not part of a name.
  if (host.empty() || (host.front() != '[' && host.find(':') != std::string_view::npos)) return std::nullopt;
  origin.host = AsciiLower(host);
  origin.port = origin.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value <= 0 || value > 65535) {
      return std::nullopt;
    }
    origin.port = value;
  }
  return origin;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]" || host == "::1") return true;
  // 127.0.0.0/8 in dotted-quad form.
  if (host.substr(0, 4) != "127.") return false;
  int parts = 0;
  std::size_t pos = 0;
  while (pos <= host.size()) {
    auto dot = host.find('.', pos);
    std::string_view part =
        host.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    // Decimal digits only: from_chars would take "-1", and a name with a sign is resolved by DNS.
    if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string_view::npos)
      return false;
    int value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc{} || end != part.data() + part.size() || value > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return parts == 4;
}

bool MayCarryCredential(const Origin& origin) {
  return origin.scheme == "https" || IsLoopbackHost(origin.host);
}

std::optional<std::string> ResolveLocation(std::string_view base_url, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return std::string(location);
  if (location.empty() || location.front() != '/' || location.substr(0, 2) == "//") return std::nullopt;
  auto scheme_end = base_url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  auto path_start = base_url.find('/', scheme_end + 3);
  std::string_view prefix = base_url.substr(0, path_start);
  return std::string(prefix) + std::string(location);
}

bool MustBypassProxy(std::string_view url, bool credential) {
  auto origin = ParseOrigin(url);
  if (!origin) return true;  // nothing mpp sends; never hand it to a proxy either
  return IsLoopbackHost(origin->host) || (credential && origin->scheme == "http");
}

}  // namespace mpp::net
