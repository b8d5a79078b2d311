// mpp logs
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupLogs(CLI::App& sub);

}  // namespace mpp::cli
