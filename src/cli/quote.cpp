#include "cli/quote.h"

#include <CLI/CLI.hpp>

namespace mpp::cli {

Action SetupQuote(CLI::App& sub) {
  (void)sub;
  return [](Io&) -> Status {
    return MakeError(ErrorKind::kUnexpected, "'mpp quote' is not yet available in this version");
  };
}

}  // namespace mpp::cli
