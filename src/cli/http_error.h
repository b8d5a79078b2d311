// Turning an HTTP answer that is neither success nor a payment matter into one line for the user.
#pragma once

#include <string>

#include "net/http.h"
#include "util/error.h"

namespace mpp::cli {

// kNetwork: "HTTP <status> from <url>: <what the server said>", where what it said is its problem
// details (RFC 9457), else the service's {"error": ...} text, else the start of the body, all made
// display-safe and kept on one line.
Error HttpStatusError(const net::HttpResponse& response, const std::string& url);

// For an answer that came before any payment (the first answer to a request, not a 402):
// 400 is kUsage, "the service refused the request before asking for payment (HTTP 400 from <url>:
// <what it said>); nothing was paid", since the body mpp built from the user's input was refused
// (Locus validates it before quoting); 403 is kNetwork naming the likely cause (a firewall that wants
// a User-Agent, a region block); anything else is HttpStatusError.
Error UnpaidAnswerError(const net::HttpResponse& response, const std::string& url);

// True for 2xx.
inline bool IsSuccess(const net::HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

}  // namespace mpp::cli
