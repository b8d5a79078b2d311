// Fakes for running a cli command without sockets, the process environment or the wall clock: a
// network of URL-prefix routes behind every transport the command makes, a map environment, a fixed
// clock, and RunCommand, which parses argv through the command table as main does.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "cli/command_services.h"
#include "net/http.h"

namespace mpp::testing {

// Routes each request to the handler of the longest URL prefix that matches it; a request no route
// takes fails as a refused connection (nothing was sent). Every transport the factory makes shares
// the routes and the record of requests; safe for batch workers on several threads.
class FakeNetwork {
 public:
  using Handler = std::function<net::HttpResponse(const net::HttpRequest&)>;

  void Route(std::string url_prefix, Handler handler) {
    std::lock_guard lock(state_->mutex);
    state_->routes[std::move(url_prefix)] = std::move(handler);
  }
  // Every request sent so far, in the order the transports saw them.
  std::vector<net::HttpRequest> Requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->requests;
  }
  std::vector<net::HttpRequest> RequestsTo(const std::string& url_prefix) const {
    std::vector<net::HttpRequest> to;
    for (auto& request : Requests()) {
      if (request.url.starts_with(url_prefix)) to.push_back(std::move(request));
    }
    return to;
  }

  std::function<std::unique_ptr<net::HttpTransport>(const net::TransportLimits&)> Factory() const {
    auto state = state_;
    return [state](const net::TransportLimits&) -> std::unique_ptr<net::HttpTransport> {
      return std::make_unique<Transport>(state);
    };
  }

 private:
  struct State {
    mutable std::mutex mutex;
    std::map<std::string, Handler> routes;
    std::vector<net::HttpRequest> requests;
  };

  class Transport : public net::HttpTransport {
   public:
    explicit Transport(std::shared_ptr<State> state) : state_(std::move(state)) {}
    Result<net::HttpResponse> Perform(const net::HttpRequest& request, const net::BodySink* sink,
                                      net::TransportFailure* failure) override {
      Handler handler;
      {
        std::lock_guard lock(state_->mutex);
        state_->requests.push_back(request);
        std::size_t best = 0;
        for (const auto& [prefix, route] : state_->routes) {
          if (request.url.starts_with(prefix) && prefix.size() >= best) {
            best = prefix.size();
            handler = route;
          }
        }
      }
      if (!handler) {
        if (failure != nullptr) {
          failure->message = "connection refused";
          failure->request_may_have_been_sent = false;
        }
        return MakeError(ErrorKind::kNetwork, "connection refused: " + request.url);
      }
      net::HttpResponse response = handler(request);
      if (sink != nullptr && response.status >= 200 && response.status < 300) {
        (*sink)(response.body);
        response.body.clear();
        response.body_streamed = true;
      }
      return response;
    }

   private:
    std::shared_ptr<State> state_;
  };

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// An environment made of a map, shared by every copy of its lookup; absent names are nullptr.
class MapEnv {
 public:
  MapEnv& Set(const std::string& name, const std::string& value) {
    (*values_)[name] = value;
    return *this;
  }
  wallet::EnvLookup Lookup() const {
    auto values = values_;
    return [values](const char* name) -> const char* {
      const auto it = values->find(name);
      return it == values->end() ? nullptr : it->second.c_str();
    };
  }

 private:
  std::shared_ptr<std::map<std::string, std::string>> values_ =
      std::make_shared<std::map<std::string, std::string>>();
};

// 2027-01-15T08:00:00Z: after the fixtures' issue dates, long before their 2099 expiries.
inline constexpr std::int64_t kFakeNow = 1'800'000'000;

inline cli::Services FakeServices(const FakeNetwork& network, const MapEnv& env,
                                  std::int64_t now = kFakeNow) {
  cli::Services services;
  services.transport = network.Factory();
  services.env = env.Lookup();
  services.now = [now] { return now; };
  return services;
}

// What a command left: its status, stdout and the prompts it wrote to Io::err.
struct CommandRun {
  Status status;
  std::string out;
  std::string err;
};

// Parses `args` (without "mpp") through cli::Commands() as main does and runs the chosen command on
// `services` with `stdin_text` as standard input (not a terminal). A parse error is a kUsage status.
inline CommandRun RunCommand(const std::vector<std::string>& args, const cli::Services& services,
                             const std::string& stdin_text = "", bool stderr_is_tty = false) {
  CLI::App app{"mpp", "mpp"};
  app.require_subcommand(1, 1);
  cli::Action action;
  for (const auto& command : cli::Commands()) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    cli::Action run = command.setup(*sub);
    sub->final_callback([&action, run] { action = run; });
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  CommandRun result;
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    result.status = MakeError(ErrorKind::kUsage, e.what());
    return result;
  }
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  cli::Io io{in, out, err, false, false, stderr_is_tty};
  result.status = action(io, services);
  result.out = out.str();
  result.err = err.str();
  return result;
}

inline net::HttpResponse JsonResponse(long status, std::string body, std::vector<net::Header> headers = {}) {
  net::HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.headers.push_back({"Content-Type", "application/json"});
  response.body = std::move(body);
  return response;
}

}  // namespace mpp::testing
