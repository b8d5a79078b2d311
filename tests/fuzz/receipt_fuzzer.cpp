// ParseReceipt on the input as a header value and on its base64url encoding (so the fuzzer mutates the
// JSON). Every string of a parsed receipt is display-safe, and timestamp_at agrees with timestamp.
#include <string>

#include "fuzz_check.h"
#include "mpp/receipt.h"
#include "mpp/rfc3339.h"
#include "mpp/text.h"
#include "util/base64url.h"

namespace {

bool IsDisplaySafe(const std::string& text) { return mpp::DisplayText(text, SIZE_MAX) == text; }

void Check(const mpp::Result<mpp::Receipt>& result) {
  if (!result) {
    FUZZ_CHECK(result.error().kind == mpp::ErrorKind::kNetwork);
    return;
  }
  const mpp::Receipt& receipt = *result;
  for (const std::string* field :
       {&receipt.method, &receipt.status, &receipt.timestamp, &receipt.reference, &receipt.external_id}) {
    FUZZ_CHECK(IsDisplaySafe(*field));
  }
  if (receipt.timestamp_at) FUZZ_CHECK(mpp::ParseRfc3339(receipt.timestamp) == receipt.timestamp_at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = mpp::fuzz::AsText(data, size);
  Check(mpp::ParseReceipt(input));
  Check(mpp::ParseReceipt(mpp::EncodeBase64Url(input)));
  return 0;
}
