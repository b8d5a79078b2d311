// The wall clock, in the unit the protocol and the journal use; elapsed time for timings, and an
// interruptible pause.
#pragma once

#include <chrono>
#include <cstdint>

namespace mpp {

// Seconds since the UNIX epoch.
std::int64_t UnixNow();

// Milliseconds elapsed on the monotonic clock since `start`, for reported timings.
inline double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}
// Sleeps `ms` milliseconds, waking every few tens of milliseconds to look at the interrupt flag
// (util/interrupt.h); false when Ctrl-C cut the pause short.
bool PauseUnlessInterrupted(std::int64_t ms);

}  // namespace mpp
