// The wall clock, in the unit the protocol and the journal use, and an interruptible pause.
#pragma once

#include <cstdint>

namespace mpp {

// Seconds since the UNIX epoch.
std::int64_t UnixNow();

// Sleeps `ms` milliseconds, waking every few tens of milliseconds to look at the interrupt flag
// (util/interrupt.h); false when Ctrl-C cut the pause short.
bool PauseUnlessInterrupted(std::int64_t ms);

}  // namespace mpp
