#include "util/amount.h"

namespace mpp {

std::optional<U256> ParseTokenAmount(std::string_view text, int decimals) {
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() && frac.empty()) return std::nullopt;
  if (frac.size() > static_cast<std::size_t>(decimals)) return std::nullopt;
  std::string digits;
  digits.reserve(whole.size() + decimals);
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  for (char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  digits.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
  auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return U256(0);
  return U256::FromDecimal(std::string_view(digits).substr(first));
}

std::string FormatTokenAmount(const U256& base_units, int decimals) {
  std::string digits = base_units.ToDecimal();
  if (digits.size() <= static_cast<std::size_t>(decimals)) {
    digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
  }
  std::string whole = digits.substr(0, digits.size() - decimals);
  std::string frac = digits.substr(digits.size() - decimals);
  auto last = frac.find_last_not_of('0');
  if (last == std::string::npos) return whole;
  return whole + "." + frac.substr(0, last + 1);
}

}  // namespace mpp
