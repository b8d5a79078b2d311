// ParseRfc3339 on any bytes: never crashes (no signed overflow on huge fields either, under UBSan).
#include "fuzz_check.h"
#include "util/rfc3339.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = mpp::fuzz::AsText(data, size);
  auto seconds = mpp::ParseRfc3339(text);
  // A date-time is at least "YYYY-MM-DDThh:mm:ssZ" and never carries whitespace.
  if (seconds) FUZZ_CHECK(text.size() >= 20 && text.find(' ') == std::string_view::npos);
  return 0;
}
