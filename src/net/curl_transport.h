// The libcurl implementation of HttpTransport: one easy handle reused across requests (keep-alive),
// TLS verification on, proxies from the environment, no redirects, size caps, interruptible.
#pragma once

#include <memory>
#include <string>

#include "net/http.h"

namespace mpp::net {

// Initializes libcurl once for the process (idempotent, thread-safe).
void GlobalInit();

class CurlTransport final : public HttpTransport {
 public:
  CurlTransport(TransportLimits limits, std::string user_agent);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Perform(const HttpRequest& request, const BodySink* sink,
                               TransportFailure* failure) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mpp::net
