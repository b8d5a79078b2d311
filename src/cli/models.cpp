#include "cli/models.h"

#include <CLI/CLI.hpp>

namespace mpp::cli {

Action SetupModels(CLI::App& sub) {
  (void)sub;
  return [](Io&) -> Status {
    return MakeError(ErrorKind::kUnexpected, "'mpp models' is not yet available in this version");
  };
}

}  // namespace mpp::cli
