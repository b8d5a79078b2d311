#include "net/http.h"

namespace mpp::net {

bool HeaderNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

namespace {

bool BreaksHeaderLine(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

Result<std::vector<std::string>> RequestHeaderLines(const HttpRequest& request, std::string_view user_agent) {
  if (user_agent.empty() || BreaksHeaderLine(user_agent)) {
    return MakeError(ErrorKind::kUsage, "refusing to send a request without a User-Agent header");
  }
  std::vector<std::string> lines;
  lines.reserve(request.headers.size() + 1);
  for (const auto& header : request.headers) {
    if (header.name.empty() || BreaksHeaderLine(header.name) || BreaksHeaderLine(header.value) ||
        header.name.find(':') != std::string::npos) {
      return MakeError(ErrorKind::kUsage, "refusing to send a malformed request header");
    }
    if (HeaderNameEquals(header.name, "User-Agent") || header.value.empty()) continue;
    lines.push_back(header.name + ": " + header.value);
  }
  lines.push_back("User-Agent: " + std::string(user_agent));
  return lines;
}

std::vector<std::string_view> HttpResponse::HeaderValues(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& h : headers) {
    if (HeaderNameEquals(h.name, name)) values.push_back(h.value);
  }
  return values;
}

std::optional<std::string_view> HttpResponse::FirstHeader(std::string_view name) const {
  for (const auto& h : headers) {
    if (HeaderNameEquals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

}  // namespace mpp::net
