// What a command reaches the world through besides its streams (Io): HTTP, the environment and the
// clock. main passes the process's own (ProcessServices); unit tests pass fakes, so a command runs
// end to end without a socket, a real home directory or the wall clock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "net/http.h"
#include "wallet/env.h"

namespace mpp::cli {

struct Services {
  // A new HTTP transport with these limits (one per flow, RPC client or worker: transports are not
  // shared between threads).
  std::function<std::unique_ptr<net::HttpTransport>(const net::TransportLimits& limits)> transport;
  // MPP_* and the XDG/HOME variables that place mpp's files.
  wallet::EnvLookup env;
  // Seconds since the UNIX epoch.
  std::function<std::int64_t()> now;
};

// libcurl with mpp's User-Agent, the process environment and the system clock.
Services ProcessServices();

}  // namespace mpp::cli
