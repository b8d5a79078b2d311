// The subcommand table: main builds the CLI from it, so --help and completions come from one place.
#pragma once

#include <functional>
#include <iosfwd>
#include <span>

#include "util/error.h"

namespace CLI {
class App;
}

namespace mpp::cli {

// The process's streams and terminal facts, passed in so tests can run commands on strings.
struct Io {
  std::istream& in;
  std::ostream& out;
  bool stdin_is_tty = false;
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;
};

// What runs after a successful parse; it reads the options its setup bound.
using Action = std::function<Status(Io&)>;

struct CommandSpec {
  const char* name;
  const char* summary;
  // Adds the subcommand's options to `sub` (bound to an options struct the action owns).
  Action (*setup)(CLI::App& sub);
};

// Every subcommand, in the order --help lists them.
std::span<const CommandSpec> Commands();

}  // namespace mpp::cli
