#include "cli/chat.h"

#include <CLI/CLI.hpp>

namespace mpp::cli {

Action SetupChat(CLI::App& sub) {
  (void)sub;
  return [](Io&) -> Status {
    return MakeError(ErrorKind::kUnexpected, "'mpp chat' is not yet available in this version");
  };
}

}  // namespace mpp::cli
