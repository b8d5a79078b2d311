// mpp models
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupModels(CLI::App& sub);

}  // namespace mpp::cli
