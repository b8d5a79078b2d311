// One signing key for many payments: batch workers share a source that resolves the wallet key (and
// asks for its password, or runs its KDF) once, instead of once per line.
#pragma once

#include "mpp/flow.h"

namespace mpp::cli {

// A thread-safe KeySource that calls `inner` on first use only and then hands out copies of its key.
// A failure is remembered too, so a wrong password fails every line once rather than asking again.
protocol::KeySource CachingKeySource(protocol::KeySource inner);

}  // namespace mpp::cli
