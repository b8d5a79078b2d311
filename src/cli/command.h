// The subcommand table: main builds the CLI from it, so --help and completions come from one place.
#pragma once

#include <functional>
#include <iosfwd>
#include <span>

#include "cli/command_services.h"
#include "util/error.h"

namespace CLI {
class App;
}

namespace mpp::cli {

// The process's streams and terminal facts, passed in so tests can run commands on strings. `err` is
// for what is not a message (a confirmation prompt); messages go through util/message.h.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool stdin_is_tty = false;
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;
};

// What runs after a successful parse; it reads the options its setup bound and reaches HTTP, the
// environment and the clock only through `services`.
using Action = std::function<Status(Io&, const Services&)>;

struct CommandSpec {
  const char* name;
  const char* summary;
  // Adds the subcommand's options to `sub` (bound to an options struct the action owns).
  Action (*setup)(CLI::App& sub);
};

// Every subcommand, in the order --help lists them.
std::span<const CommandSpec> Commands();

}  // namespace mpp::cli
