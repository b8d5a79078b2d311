// DecodeChargeRequest on the input as given (mostly refused as not base64url) and on the input's
// base64url encoding, so the fuzzer mutates the JSON itself. Checks the invariants charge_request.h
// promises for a decoded request.
#include <string>

#include "fuzz_check.h"
#include "mpp/charge_request.h"
#include "util/base64url.h"

namespace {

void Check(const mpp::Result<mpp::protocol::ChargeRequest>& result) {
  if (!result) {
    FUZZ_CHECK(result.error().kind == mpp::ErrorKind::kPaymentRefusedLocally);
    FUZZ_CHECK(!result.error().message.empty());
    return;
  }
  const mpp::protocol::ChargeRequest& request = *result;
  FUZZ_CHECK(request.chain_id > 0);
  FUZZ_CHECK(request.splits.size() <= mpp::protocol::kMaxSplits);
  mpp::U256 split_total;
  for (const auto& split : request.splits) {
    FUZZ_CHECK(!split.amount.IsZero());
    auto sum = mpp::U256::CheckedAdd(split_total, split.amount);
    FUZZ_CHECK(sum.has_value());
    split_total = *sum;
  }
  if (!request.splits.empty()) {
    FUZZ_CHECK(split_total < request.amount);
    FUZZ_CHECK(mpp::U256::CheckedAdd(request.PrimaryAmount(), split_total) == request.amount);
  }
  for (std::size_t i = 0; i < request.supported_modes.size(); ++i) {
    for (std::size_t j = i + 1; j < request.supported_modes.size(); ++j) {
      FUZZ_CHECK(request.supported_modes[i] != request.supported_modes[j]);
    }
  }
  if (request.supported_modes.empty()) {
    FUZZ_CHECK(request.SupportsMode(mpp::protocol::ChargeMode::kPull) &&
               request.SupportsMode(mpp::protocol::ChargeMode::kPush));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = mpp::fuzz::AsText(data, size);
  Check(mpp::protocol::DecodeChargeRequest(input));
  Check(mpp::protocol::DecodeChargeRequest(mpp::EncodeBase64Url(input)));
  return 0;
}
