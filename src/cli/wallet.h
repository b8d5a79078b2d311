// mpp wallet
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupWallet(CLI::App& sub);

}  // namespace mpp::cli
