// The Payment-Receipt header a server sends with a paid response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace mpp::protocol {

// What the receipt says. Every string is display-safe (see DisplayText) and empty when the server
// left the field out or sent something other than a string.
struct Receipt {
  std::string method;
  std::string status;                        // "success" on every receipt a conforming server sends
  std::string timestamp;                     // RFC 3339, as received
  std::optional<std::int64_t> timestamp_at;  // `timestamp` in UNIX seconds, when it parses
  std::string reference;                     // tempo: the transaction hash; the challenge id for proofs
  std::string external_id;

  bool IsSuccess() const { return status == "success"; }
};

inline constexpr std::size_t kMaxReceiptChars = 16 * 1024;

// Parses a Payment-Receipt value: base64url of a JSON object. Lenient about what a receipt holds
// (surrounding whitespace, '=' padding, missing or mistyped fields, unknown fields) but refuses
// (kNetwork) a value longer than kMaxReceiptChars, one that is not base64url, and JSON that is not an
// object. Never trusts the content beyond displaying it.
Result<Receipt> ParseReceipt(std::string_view header_value);

// What a receipt for one payment must say.
struct ReceiptExpectation {
  std::string_view method = "tempo";
  // The transaction hash mpp signed (self-paid) or broadcast (push), 0x-prefixed; empty when mpp
  // cannot know the final hash (a server that pays fees re-signs the transaction) or for proofs.
  std::string_view reference;
};

// Why `receipt` does not prove the payment `expected` describes, or nullopt when it does: a status
// other than "success", another method, or (when expected.reference is set) another reference, hex
// digits compared without regard to case. Pure.
std::optional<std::string> CheckReceipt(const Receipt& receipt, const ReceiptExpectation& expected);

}  // namespace mpp::protocol
