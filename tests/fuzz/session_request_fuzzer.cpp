// DecodeSessionRequest on the input as given and on its base64url encoding (so the fuzzer mutates the
// JSON itself). Checks what session_request.h promises for a decoded request, and that
// CheckSessionOffer never accepts a legacy offer or a foreign escrow.
#include <string>

#include "fuzz_check.h"
#include "mpp/session_request.h"
#include "tempo/channel.h"
#include "util/base64url.h"

namespace {

void Check(const mpp::Result<mpp::protocol::SessionRequest>& result) {
  if (!result) {
    FUZZ_CHECK(result.error().kind == mpp::ErrorKind::kPaymentRefusedLocally);
    FUZZ_CHECK(!result.error().message.empty());
    return;
  }
  const mpp::protocol::SessionRequest& r = *result;
  FUZZ_CHECK(!r.amount.IsZero() && mpp::tempo::FitsUint96(r.amount));
  FUZZ_CHECK(!r.unit_type.empty() && r.unit_type.size() <= mpp::protocol::kMaxUnitTypeChars);
  if (r.suggested_deposit) FUZZ_CHECK(mpp::tempo::FitsUint96(*r.suggested_deposit));
  FUZZ_CHECK(mpp::tempo::FitsUint96(r.min_voucher_delta));
  if (r.chain_id) FUZZ_CHECK(*r.chain_id > 0);
  const bool accepted = static_cast<bool>(mpp::protocol::CheckSessionOffer(r, mpp::tempo::kChannelEscrow));
  FUZZ_CHECK(accepted == (r.session_protocol == mpp::protocol::SessionProtocol::kV2 &&
                          r.Escrow() == mpp::tempo::kChannelEscrow));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = mpp::fuzz::AsText(data, size);
  Check(mpp::protocol::DecodeSessionRequest(input));
  Check(mpp::protocol::DecodeSessionRequest(mpp::EncodeBase64Url(input)));
  return 0;
}
