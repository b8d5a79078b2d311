// ParseAuthChallenges on any bytes: never crashes, and every value it returns is valid UTF-8.
#include "fuzz_check.h"
#include "mpp/www_authenticate.h"
#include "util/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto challenges = mpp::protocol::ParseAuthChallenges(mpp::fuzz::AsText(data, size));
  for (const auto& challenge : challenges) {
    if (challenge.token68) FUZZ_CHECK(!challenge.token68->empty());
    for (const auto& [name, value] : challenge.params) {
      FUZZ_CHECK(mpp::IsValidUtf8(name));
      FUZZ_CHECK(mpp::IsValidUtf8(value));
      for (char c : name) FUZZ_CHECK(c < 'A' || c > 'Z');  // names come back lowercased
    }
  }
  return 0;
}
