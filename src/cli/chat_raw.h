// `mpp chat --raw` with a JSON request on stdin and no flag that shapes it: the request goes out byte
// for byte and the answer comes back byte for byte, whatever its shape (the original --url --raw mode).
#pragma once

#include <cstddef>
#include <string>

#include "cli/command.h"
#include "cli/payment_options.h"

namespace mpp::cli {

// Reads the request from io.in (kUsage when empty, larger than `max_input` bytes, not JSON or not an
// object), POSTs it to `url`, pays at most once and copies a 2xx body to io.out as it arrives. Non-2xx
// answers are UnpaidAnswerErrors.
Status RunRawPassthrough(const std::string& url, const PaymentSettings& settings, std::size_t max_input,
                         Io& io, const Services& services);

}  // namespace mpp::cli
