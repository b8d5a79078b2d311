// What a service's error answer says, for the one line mpp prints when a payment went out and the
// answer was not the result: the text, the service's own payment id, and whether it is a refusal of
// the payment itself.
#pragma once

#include <string>
#include <string_view>

namespace mpp::protocol {

struct ServiceErrorBody {
  // One display-safe line: the problem details' explanation, else the service's {"error": ...} text
  // (with a "message" beside a string "error"), else the start of the body; empty for an empty body.
  std::string text;
  std::string payment_id;  // a top-level string "paymentId" (Locus), display-safe; else empty
  // An RFC 9457 problem of a paymentauth.org type: the server's payment machinery answered (refused
  // or failed to process the payment), not the service behind it.
  bool payment_problem = false;
};

// Reads `body` (untrusted; any size, any content). Pure.
ServiceErrorBody ReadServiceErrorBody(std::string_view body);

}  // namespace mpp::protocol
