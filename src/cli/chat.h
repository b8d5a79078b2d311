// mpp chat
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupChat(CLI::App& sub);

}  // namespace mpp::cli
