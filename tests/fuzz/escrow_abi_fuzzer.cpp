// The escrow's return-data and calldata decoders on raw bytes: DecodeChannelState, DecodeGetChannel,
// DecodeOpenCalldata and EscrowErrorName. Whatever decodes re-encodes to the input (the decoders
// accept only canonical ABI words), and decoded amounts fit uint96.
#include <algorithm>

#include "fuzz_check.h"
#include "tempo/escrow_abi.h"
#include "util/u256.h"

namespace {

mpp::Bytes StateWords(const mpp::tempo::ChannelState& state) {
  mpp::Bytes out;
  mpp::Append(out, state.settled.ToBigEndian32());
  mpp::Append(out, state.deposit.ToBigEndian32());
  mpp::Append(out, mpp::U256(state.close_requested_at).ToBigEndian32());
  return out;
}

bool Same(const mpp::Bytes& a, mpp::ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mpp::ByteView input = mpp::fuzz::AsByteView(data, size);
  if (auto state = mpp::tempo::DecodeChannelState(input)) {
    FUZZ_CHECK(mpp::tempo::FitsUint96(state->settled) && mpp::tempo::FitsUint96(state->deposit));
    FUZZ_CHECK(Same(StateWords(*state), input));
  } else {
    FUZZ_CHECK(state.error().kind == mpp::ErrorKind::kNetwork);
  }
  if (auto view = mpp::tempo::DecodeGetChannel(input)) {
    mpp::Bytes encoded = mpp::tempo::GetChannelCalldata(view->descriptor);
    encoded.erase(encoded.begin(), encoded.begin() + 4);  // the descriptor words, without the selector
    mpp::Append(encoded, StateWords(view->state));
    FUZZ_CHECK(Same(encoded, input));
  }
  if (auto open = mpp::tempo::DecodeOpenCalldata(input)) {
    FUZZ_CHECK(mpp::tempo::FitsUint96(open->deposit));
    FUZZ_CHECK(Same(mpp::tempo::OpenCalldata(*open), input));
  }
  if (auto name = mpp::tempo::EscrowErrorName(input)) FUZZ_CHECK(!name->empty() && size >= 4);
  return 0;
}
