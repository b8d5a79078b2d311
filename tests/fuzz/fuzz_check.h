// What the fuzz targets share: an invariant check that libFuzzer records as a crash, and small views.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "util/bytes.h"

// Aborts, naming the broken invariant, when `condition` is false. Used for the contracts the headers
// promise (round trips, "always valid UTF-8"), so a violated promise is a finding like a crash.
#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)

namespace mpp::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline ByteView AsByteView(const std::uint8_t* data, std::size_t size) { return {data, size}; }

}  // namespace mpp::fuzz
