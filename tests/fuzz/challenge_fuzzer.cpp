// ParseChallenges on one header value and on the same bytes split into several header lines, then
// DecodeChargeRequest on every usable challenge's request, as the pay flow does. Checks what
// challenge.h promises about a usable challenge and about rejected ones.
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "mpp/challenge.h"
#include "mpp/charge_request.h"
#include "util/rfc3339.h"
#include "util/text.h"

namespace {

bool IsDisplaySafe(const std::string& text) { return mpp::DisplayText(text, SIZE_MAX) == text; }

bool IsLowercaseMethod(std::string_view method) {
  if (method.empty() || method[0] < 'a' || method[0] > 'z') return false;
  for (char c : method) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void Check(const mpp::protocol::ChallengeList& list) {
  FUZZ_CHECK(list.rejected.size() <= mpp::protocol::kMaxRejectedReported);
  if (list.more_rejected > 0) FUZZ_CHECK(list.rejected.size() == mpp::protocol::kMaxRejectedReported);
  for (const auto& rejected : list.rejected) {
    FUZZ_CHECK(!rejected.reason.empty());
    FUZZ_CHECK(IsDisplaySafe(rejected.scheme));
    FUZZ_CHECK(IsDisplaySafe(rejected.id));
    FUZZ_CHECK(IsDisplaySafe(rejected.reason));
  }
  for (const auto& c : list.challenges) {
    FUZZ_CHECK(!c.id.empty());
    FUZZ_CHECK(IsLowercaseMethod(c.method));
    FUZZ_CHECK(!c.intent.empty());
    FUZZ_CHECK(c.request.size() <= mpp::protocol::kMaxRequestChars);
    FUZZ_CHECK(c.expires.has_value() == c.expires_at.has_value());
    if (c.expires) FUZZ_CHECK(mpp::ParseRfc3339(*c.expires) == c.expires_at);
    for (const auto& [name, value] : c.params) {
      FUZZ_CHECK(mpp::IsValidUtf8(name));
      FUZZ_CHECK(mpp::IsValidUtf8(value));
    }
    auto request = mpp::protocol::DecodeChargeRequest(c.request);
    if (!request) FUZZ_CHECK(request.error().kind == mpp::ErrorKind::kPaymentRefusedLocally);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = mpp::fuzz::AsText(data, size);
  Check(mpp::protocol::ParseChallenges(input));

  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t newline; (newline = input.find('\n', start)) != std::string_view::npos;
       start = newline + 1) {
    lines.push_back(input.substr(start, newline - start));
  }
  lines.push_back(input.substr(start));
  if (lines.size() > 1) Check(mpp::protocol::ParseChallenges(lines));
  return 0;
}
