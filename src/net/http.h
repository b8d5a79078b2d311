// HTTP requests and responses as values, and the transport interface the pay flow talks through.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace mpp::net {

struct Header {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<Header> headers;
  std::string body;  // sent byte for byte; the paid retry reuses the same string
  // Send these bytes at most once. libcurl silently re-sends a request whose reused connection dies
  // before any answer, on a new connection; with this set, no new connection may open once the
  // request's headers have gone out, so a payment credential leaves exactly once while the probe's
  // keep-alive connection is still reused.
  bool send_once = false;
};

struct HttpResponse {
  long status = 0;
  std::string reason;
  std::vector<Header> headers;  // in arrival order; names as sent by the server
  std::string body;             // empty when the body went to a streaming sink
  bool body_streamed = false;

  // Every value of a header, case-insensitive name match, in order.
  std::vector<std::string_view> HeaderValues(std::string_view name) const;
  // The first value of a header.
  std::optional<std::string_view> FirstHeader(std::string_view name) const;
};

// Receives the body of a 2xx response as it arrives; returning false aborts the transfer.
using BodySink = std::function<bool(std::string_view chunk)>;

struct TransportLimits {
  long connect_timeout_ms = 10'000;
  long total_timeout_ms = 300'000;
  std::size_t max_header_bytes = 256 * 1024;
  std::size_t max_body_bytes = 32 * 1024 * 1024;  // a body kept in memory (HttpResponse::body)
  // A 2xx body handed to a sink, counted after decompression (--max-response): past it the
  // transfer stops, the sink has had exactly this many bytes, and the failure says body_too_large.
  std::size_t max_streamed_body_bytes = std::size_t{64} << 20;
};

// Why a transfer failed: callers must know whether the request may have reached the server.
struct TransportFailure {
  std::string message;
  bool request_may_have_been_sent = false;
  bool interrupted = false;
  bool body_too_large = false;  // mpp stopped reading at a body size limit (not the server's doing)
  // What had arrived before the failure (status 0 when no status line did): a 2xx whose body was
  // cut off still carries its Payment-Receipt.
  HttpResponse partial;
};

// One logical connection (keep-alive between the probe and the paid retry). Not thread-safe:
// batch workers each own one.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Performs `request`. A 2xx body goes to `sink` when one is given; other bodies are buffered.
  // Redirects are never followed. Fails on network errors, timeouts and size limits.
  virtual Result<HttpResponse> Perform(const HttpRequest& request, const BodySink* sink,
                                       TransportFailure* failure) = 0;
};

// Case-insensitive ASCII comparison for header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

// The header lines ("Name: value") `request` goes out with: its headers in order, except any
// User-Agent of its own and any header with an empty value (which libcurl would read as "remove
// this header"), then "User-Agent: <user_agent>". So no caller, flag or config can send a request
// without mpp's User-Agent (the Locus WAF answers 403 to one). Refuses (kUsage) an empty
// `user_agent`, and a name or value holding CR, LF or NUL: such a request never leaves mpp.
Result<std::vector<std::string>> RequestHeaderLines(const HttpRequest& request, std::string_view user_agent);

}  // namespace mpp::net
