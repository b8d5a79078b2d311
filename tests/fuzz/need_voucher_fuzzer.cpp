// ParseNeedVoucher on the input (a payment-need-voucher event's data): a parsed event always asks for
// more than the server holds, and every amount fits uint96.
#include "fuzz_check.h"
#include "mpp/session_events.h"
#include "tempo/channel.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto need = mpp::protocol::ParseNeedVoucher(mpp::fuzz::AsText(data, size));
  if (!need) {
    FUZZ_CHECK(need.error().kind == mpp::ErrorKind::kNetwork);
    return 0;
  }
  FUZZ_CHECK(need->required_cumulative > need->accepted_cumulative);
  for (const mpp::U256* amount : {&need->required_cumulative, &need->accepted_cumulative, &need->deposit}) {
    FUZZ_CHECK(mpp::tempo::FitsUint96(*amount));
  }
  return 0;
}
