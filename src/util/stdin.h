// Reading a whole input stream with a size cap.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "util/error.h"

namespace mpp {

inline constexpr std::size_t kMaxStdinBytes = 16 * 1024 * 1024;

// Everything from `in`, or a kUsage error when it exceeds `max_bytes` (naming the limit).
Result<std::string> ReadAll(std::istream& in, std::size_t max_bytes = kMaxStdinBytes);

}  // namespace mpp
