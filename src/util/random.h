// Randomness from the OS CSPRNG (OpenSSL's RAND_bytes).
#pragma once

#include <cstddef>
#include <string>

#include "util/bytes.h"

namespace mpp {

// `size` random bytes; aborts the process if the CSPRNG fails (nothing sensible can continue).
Bytes RandomBytes(std::size_t size);

// A random UUID v4 in its canonical text form, e.g. for Idempotency-Key.
std::string RandomUuid();

}  // namespace mpp
