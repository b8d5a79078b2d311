// mpp quote
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupQuote(CLI::App& sub);

}  // namespace mpp::cli
