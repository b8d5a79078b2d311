// The process-wide "the user pressed Ctrl-C" flag. Set from the SIGINT handler (async-signal-safe);
// long operations poll it and stop cleanly, recording what they did.
#pragma once

namespace mpp {

void RequestInterrupt();
bool InterruptRequested();

}  // namespace mpp
