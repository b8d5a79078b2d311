// The receipt of a tempo/session exchange (SESSION.md 6.6): the Payment-Receipt header of a plain
// answer and of a management POST, or the data of the final `payment-receipt` SSE event. `spent` and
// `units` are cumulative for the channel, not for this request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

struct SessionReceipt {
  std::string status;        // "success" on every receipt mppx sends; display-safe
  std::string timestamp;     // RFC 3339 as received; display-safe, may be empty
  std::string challenge_id;  // the challenge the credential answered; display-safe
  Hash32 channel_id{};
  U256 accepted_cumulative;       // the highest voucher the server holds
  U256 spent;                     // what the server has charged on the channel so far
  std::uint64_t units = 0;        // ticks charged on the channel so far
  std::optional<Hash32> tx_hash;  // only when this exchange put a transaction on chain

  bool IsSuccess() const { return status == "success"; }
};

inline constexpr std::size_t kMaxSessionReceiptChars = 16 * 1024;

// Parses a Payment-Receipt header value (base64url of JSON; '=' padding and surrounding blanks are
// tolerated, as for charge receipts).
Result<SessionReceipt> ParseSessionReceiptHeader(std::string_view header_value);
// Parses the JSON text of a `payment-receipt` SSE event.
// Both refuse (kNetwork) input over kMaxSessionReceiptChars, text that is not one JSON object,
// duplicate keys, method other than "tempo" or intent other than "session"; a missing or malformed
// channelId (0x + 64 hex), acceptedCumulative or spent (uint96 decimal strings), units (a
// non-negative integer) or challengeId (a string); a txHash that is not 0x + 64 hex.
Result<SessionReceipt> ParseSessionReceiptJson(std::string_view json_text);

// What a client checks before trusting a receipt: it is a success for `channel_id` and
// `challenge_id`, the server holds no voucher above `signed_cumulative` (the highest the client
// signed), and it has not spent more than it holds. Refuses (kNetwork) otherwise, saying which.
Status CheckSessionReceipt(const SessionReceipt& receipt, const Hash32& channel_id,
                           std::string_view challenge_id, const U256& signed_cumulative);

}  // namespace mpp::protocol
