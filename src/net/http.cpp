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
