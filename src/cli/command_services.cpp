#include "cli/command_services.h"

#include <string>

#include "net/curl_transport.h"
#include "util/clock.h"
#include "version.h"

namespace mpp::cli {
namespace {

std::string UserAgent() { return std::string("mpp/") + kVersion; }

}  // namespace

Services ProcessServices() {
  Services services;
  services.transport = [](const net::TransportLimits& limits) -> std::unique_ptr<net::HttpTransport> {
    return std::make_unique<net::CurlTransport>(limits, UserAgent());
  };
  services.env = wallet::ProcessEnvironment();
  services.now = [] { return UnixNow(); };
  return services;
}

}  // namespace mpp::cli
