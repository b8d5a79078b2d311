// ParseSessionReceiptJson on the input (an SSE payment-receipt event's data), and
// ParseSessionReceiptHeader on the input and on its base64url encoding. Every string of a parsed
// receipt is display-safe, every amount fits uint96, and CheckSessionReceipt agrees with the rules
// it states.
#include <string>

#include "fuzz_check.h"
#include "mpp/session_receipt.h"
#include "tempo/channel.h"
#include "util/base64url.h"
#include "util/text.h"

namespace {

bool IsDisplaySafe(const std::string& text) { return mpp::DisplayText(text, SIZE_MAX) == text; }

void Check(const mpp::Result<mpp::protocol::SessionReceipt>& result) {
  if (!result) {
    FUZZ_CHECK(result.error().kind == mpp::ErrorKind::kNetwork);
    return;
  }
  const mpp::protocol::SessionReceipt& r = *result;
  for (const std::string* field : {&r.status, &r.timestamp, &r.challenge_id})
    FUZZ_CHECK(IsDisplaySafe(*field));
  FUZZ_CHECK(mpp::tempo::FitsUint96(r.accepted_cumulative) && mpp::tempo::FitsUint96(r.spent));
  const bool consistent = r.IsSuccess() && r.spent <= r.accepted_cumulative;
  FUZZ_CHECK(static_cast<bool>(mpp::protocol::CheckSessionReceipt(r, r.channel_id, r.challenge_id,
                                                                  r.accepted_cumulative)) == consistent);
  if (!r.accepted_cumulative.IsZero()) {
    mpp::U256 less = *mpp::U256::CheckedSub(r.accepted_cumulative, 1);
    FUZZ_CHECK(!mpp::protocol::CheckSessionReceipt(r, r.channel_id, r.challenge_id, less));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = mpp::fuzz::AsText(data, size);
  Check(mpp::protocol::ParseSessionReceiptJson(input));
  Check(mpp::protocol::ParseSessionReceiptHeader(input));
  Check(mpp::protocol::ParseSessionReceiptHeader(mpp::EncodeBase64Url(input)));
  return 0;
}
