// The environment lookup lives in util/env.h; these are its names inside mpp::wallet, so that callers
// written as wallet::EnvLookup and wallet::ProcessEnvironment() keep compiling.
#pragma once

#include "util/env.h"

namespace mpp::wallet {

using mpp::EnvLookup;
using mpp::ProcessEnvironment;

}  // namespace mpp::wallet
