// When the unpaid probe may be sent again: the rules, as pure functions (the flow does the waiting).
// Only the probe is ever retried: it carries no credential, so sending it twice costs nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace mpp::protocol {

// The probe retries a call gets unless --retries says otherwise.
inline constexpr int kDefaultProbeRetries = 2;
// The most --retries may ask for.
inline constexpr int kMaxProbeRetries = 10;
// The longest mpp waits before one retry, whatever Retry-After asks (and never above --timeout).
inline constexpr std::int64_t kMaxRetryWaitMs = 30'000;

// How the flow retries the probe.
struct ProbeRetry {
  // How often the probe is sent again after a 429, a 5xx or a connection that could not be made;
  // 0: never.
  int retries = kDefaultProbeRetries;
  // The longest pause before one retry; a longer Retry-After is not waited for.
  std::int64_t max_wait_ms = kMaxRetryWaitMs;
  // Pauses that many milliseconds; false when interrupted (null: PauseUnlessInterrupted; tests
  // replace it so they never wait).
  std::function<bool(std::int64_t ms)> pause;
  // A number in [0, 1] for the backoff's jitter (null: random).
  std::function<double()> jitter;
  // Retries are told on stderr always (stderr is a terminal), not only with -v.
  bool announce = false;
};

// Whether an answer to the probe is worth asking again: 429 Too Many Requests and 5xx.
bool RetryableProbeStatus(long status);

// The seconds a Retry-After value asks to wait: delay-seconds ("120") or an IMF-fixdate HTTP-date
// ("Sun, 06 Nov 1994 08:49:37 GMT", counted from `now`, UNIX seconds; a date in the past is 0).
// nullopt for anything else (the obsolete date forms included).
std::optional<std::int64_t> ParseRetryAfter(std::string_view value, std::int64_t now);

// The pause before retry number `retry` (0 for the first) when the server named none: 500 ms doubling
// each time, scaled by 0.5 + `jitter` / 2 (`jitter` in [0, 1]) so parallel clients spread out.
std::int64_t BackoffMilliseconds(int retry, double jitter);

}  // namespace mpp::protocol
