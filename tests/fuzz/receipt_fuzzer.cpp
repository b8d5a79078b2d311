// ParseReceipt on the input as a header value and on its base64url encoding (so the fuzzer mutates the
// JSON). Every string of a parsed receipt is display-safe, and timestamp_at agrees with timestamp.
#include <string>

#include "fuzz_check.h"
#include "mpp/receipt.h"
#include "util/base64url.h"
#include "util/rfc3339.h"
#include "util/text.h"

namespace {

bool IsDisplaySafe(const std::string& text) { return mpp::DisplayText(text, SIZE_MAX) == text; }

void Check(const mpp::Result<mpp::protocol::Receipt>& result) {
  if (!result) {
    FUZZ_CHECK(result.error().kind == mpp::ErrorKind::kNetwork);
    return;
  }
  const mpp::protocol::Receipt& receipt = *result;
  for (const std::string* field :
       {&receipt.method, &receipt.status, &receipt.timestamp, &receipt.reference, &receipt.external_id}) {
    FUZZ_CHECK(IsDisplaySafe(*field));
  }
  if (receipt.timestamp_at) FUZZ_CHECK(mpp::ParseRfc3339(receipt.timestamp) == receipt.timestamp_at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = mpp::fuzz::AsText(data, size);
  Check(mpp::protocol::ParseReceipt(input));
  Check(mpp::protocol::ParseReceipt(mpp::EncodeBase64Url(input)));
  return 0;
}
