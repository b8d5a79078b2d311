// mpp templates list|show|edit|remove: the chat templates saved by `mpp chat --save NAME`.
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupTemplates(CLI::App& sub);

}  // namespace mpp::cli
