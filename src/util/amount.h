// Exact conversion between token units ("0.005") and base units (5000 with 6 decimals).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/u256.h"

namespace mpp {

inline constexpr int kTip20Decimals = 6;

// Parses "1", "0.005", ".5", "1." style decimals into base units. Refuses signs, exponents, spaces,
// more fractional digits than `decimals`, and values above 2^256-1.
std::optional<U256> ParseTokenAmount(std::string_view text, int decimals = kTip20Decimals);

// Formats base units as token units without trailing zeros: 5000 -> "0.005", 1000000 -> "1".
std::string FormatTokenAmount(const U256& base_units, int decimals = kTip20Decimals);

}  // namespace mpp
