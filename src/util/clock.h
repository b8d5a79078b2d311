// The wall clock, in the unit the protocol and the journal use.
#pragma once

#include <cstdint>

namespace mpp {

// Seconds since the UNIX epoch.
std::int64_t UnixNow();

}  // namespace mpp
