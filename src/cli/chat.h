// mpp chat: send a prompt or a JSON request to a paid chat service; print the completion.
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupChat(CLI::App& sub);

}  // namespace mpp::cli
