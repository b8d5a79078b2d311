#include "cli/wallet.h"

#include <CLI/CLI.hpp>

namespace mpp::cli {

Action SetupWallet(CLI::App& sub) {
  (void)sub;
  return [](Io&) -> Status {
    return MakeError(ErrorKind::kUnexpected, "'mpp wallet' is not yet available in this version");
  };
}

}  // namespace mpp::cli
