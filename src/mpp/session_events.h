// The session-specific SSE events of a metered stream (SESSION.md 6.2): `payment-need-voucher`, which
// asks for a higher voucher mid-stream, and the final `payment-receipt` (see session_receipt.h).
#pragma once

#include <string_view>

#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

inline constexpr std::string_view kNeedVoucherEvent = "payment-need-voucher";
inline constexpr std::string_view kSessionReceiptEvent = "payment-receipt";

struct NeedVoucher {
  Hash32 channel_id{};
  U256 required_cumulative;  // the voucher the server waits for: spent + reserved + one unit
  U256 accepted_cumulative;  // the highest voucher it holds now
  U256 deposit;              // the channel's deposit as the server knows it
};

inline constexpr std::size_t kMaxNeedVoucherChars = 4 * 1024;

// Parses the data of a `payment-need-voucher` event:
// {"channelId":"0x..","requiredCumulative":"4000","acceptedCumulative":"3000","deposit":"5000"}.
// Refuses (kNetwork) input over kMaxNeedVoucherChars, anything but one JSON object, duplicate keys, a
// channelId that is not 0x + 64 hex, amounts that are not uint96 decimal strings, and a
// requiredCumulative not above acceptedCumulative (nothing would be needed). Unknown fields are
// ignored. Whether to sign is the caller's decision (channel, caps, deposit).
Result<NeedVoucher> ParseNeedVoucher(std::string_view data_json);

}  // namespace mpp::protocol
