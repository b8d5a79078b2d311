// mpp: pay for LLM chat completions per call over the Machine Payments Protocol.
// The only main(): builds the CLI from the command table, runs the chosen command, maps errors to
// exit codes. Everything else lives in the layered libraries under src/.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <string>

#include "cli/command.h"
#include "util/interrupt.h"
#include "util/message.h"
#include "version.h"

namespace {

constexpr const char* kFooter = R"(Exit status:
  0 ok; 1 unexpected error; 2 usage or bad input; 3 network or HTTP error;
  4 payment sent but refused by the server; 5 payment refused locally (cap, budget,
  expired or unsupported challenge, wrong chain); 6 wallet or key problem; 130 interrupted.

Examples:
  mpp quote --service groq "hello"
  git diff | mpp chat "review this"
  mpp wallet new && mpp wallet fund

Run 'mpp COMMAND --help' for a command's options.)";

extern "C" void OnInterrupt(int) { mpp::RequestInterrupt(); }

// SIGINT sets a flag that transfers and loops poll, so a payment in flight is journaled before we
// exit 130. No SA_RESTART: a blocking read (stdin, a password prompt) returns instead of waiting.
// SA_RESETHAND: a second Ctrl-C kills the process at once.
void InstallInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe must not kill us mid-payment; writes fail instead and we finish the journal.
  std::signal(SIGPIPE, SIG_IGN);
  InstallInterruptHandler();

  CLI::App app{"mpp " + std::string(mpp::kVersion) +
                   ": pay for LLM chat completions per call with the Machine Payments Protocol.\n"
                   "Reads a prompt or a JSON request on stdin, writes the completion on stdout.",
               "mpp"};
  app.set_version_flag("--version", std::string("mpp ") + mpp::kVersion, "Print the version and exit");
  app.require_subcommand(1, 1);
  app.footer(kFooter);

  mpp::cli::Action action;
  for (const auto& command : mpp::cli::Commands()) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    mpp::cli::Action run = command.setup(*sub);
    sub->final_callback([&action, run] { action = run; });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    mpp::msg::Error(std::string(e.what()) + " (run 'mpp --help' for usage)");
    return mpp::ExitCode(mpp::ErrorKind::kUsage);
  }

  mpp::cli::Io io{std::cin, std::cout, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1,
                  isatty(STDERR_FILENO) == 1};
  try {
    mpp::Status status = action(io);
    std::cout.flush();
    if (mpp::InterruptRequested()) {
      if (!status.ok()) mpp::msg::Error(status.error().message);
      return mpp::ExitCode(mpp::ErrorKind::kInterrupted);
    }
    if (!status.ok()) {
      mpp::msg::Error(status.error().message);
      return mpp::ExitCode(status.error().kind);
    }
  } catch (const std::exception& e) {
    mpp::msg::Error(std::string("unexpected: ") + e.what());
    return 1;
  }
  return 0;
}
