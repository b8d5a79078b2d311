// Environment lookup as a parameter, so code that reads MPP_* variables can be tested without setenv.
#pragma once

#include <cstdlib>
#include <functional>

namespace mpp {

// Returns the value of an environment variable, or nullptr when it is unset. The pointer stays valid
// while the environment is not modified; secret values (MPP_PRIVATE_KEY, MPP_PASSWORD) must not be
// copied into non-wiping strings.
using EnvLookup = std::function<const char*(const char* name)>;

// The process environment (std::getenv).
inline EnvLookup ProcessEnvironment() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

}  // namespace mpp
