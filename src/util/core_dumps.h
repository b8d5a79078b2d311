// Keeping secrets out of core dumps and away from debuggers: a crash must not write the private key
// or an in-flight credential to disk.
#pragma once

namespace mpp {

// Sets RLIMIT_CORE to 0 (soft and hard) and marks the process not dumpable (PR_SET_DUMPABLE 0, which
// also stops other processes of the same user from attaching to it or reading its memory). Called
// first thing in main; best effort, since neither call can fail for an unprivileged process.
void DisableCoreDumps();

}  // namespace mpp
