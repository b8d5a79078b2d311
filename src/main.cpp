// mpp: pay for LLM chat completions per call over the Machine Payments Protocol.
// The only main(): builds the CLI from the command table, runs the chosen command, maps errors to
// exit codes. Everything else lives in the layered libraries under src/.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/call_report.h"
#include "cli/command.h"
#include "cli/usage.h"
#include "util/core_dumps.h"
#include "util/fd_stream.h"
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

Run 'mpp COMMAND --help' (or 'mpp help COMMAND') for a command's options.)";

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

// The command tree as the parser has it, for usage messages.
mpp::cli::CommandNode CommandTree(const CLI::App& app, const std::string& name) {
  mpp::cli::CommandNode node{name, {}};
  for (const CLI::App* sub : app.get_subcommands({}))
    node.children.push_back(CommandTree(*sub, sub->get_name()));
  return node;
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything can hold a key: a crash must not dump it (or a credential) to disk.
  mpp::DisableCoreDumps();
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

  const mpp::cli::CommandNode tree = CommandTree(app, "mpp");
  std::string help_error;
  auto args = mpp::cli::RewriteHelpCommand(tree, std::vector<std::string>(argv + 1, argv + argc), help_error);
  if (!args) {
    mpp::msg::Error(help_error);
    return mpp::ExitCode(mpp::ErrorKind::kUsage);
  }
  std::vector<char*> parse_argv{argv[0]};
  for (auto& arg : *args) parse_argv.push_back(arg.data());
  try {
    app.parse(static_cast<int>(parse_argv.size()), parse_argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = mpp::cli::UsageErrorMessage(tree, *args, e.what());
    mpp::msg::Error(message);
    // `mpp chat --json`: a usage error is JSON on stdout as well, like every other failure.
    if (!args->empty() && args->front() == "chat" &&
        std::find(args->begin(), args->end(), "--json") != args->end()) {
      mpp::cli::CallReport report;
      report.error = mpp::MakeError(mpp::ErrorKind::kUsage, message);
      std::string json = mpp::cli::FormatCallReport(report);
      std::fwrite(json.data(), 1, json.size(), stdout);
    }
    return mpp::ExitCode(mpp::ErrorKind::kUsage);
  }

  // stdout through our own buffer, so a failed write (a full disk, a closed descriptor) is known and
  // its reason with it; a reader that went away (EPIPE) is not an error.
  mpp::FdOutputStream out(STDOUT_FILENO);
  // For what is not a message (a confirmation prompt); messages write to stderr themselves.
  mpp::FdOutputStream err(STDERR_FILENO);
  mpp::cli::Io io{
      std::cin, out, err, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1, isatty(STDERR_FILENO) == 1};
  try {
    mpp::Status status = action(io, mpp::cli::ProcessServices());
    out.flush();
    if (mpp::InterruptRequested()) {
      if (!status.ok()) mpp::msg::Error(status.error().message);
      return mpp::ExitCode(mpp::ErrorKind::kInterrupted);
    }
    if (!status.ok()) {
      mpp::msg::Error(status.error().message);
      return mpp::ExitCode(status.error().kind);
    }
    if (out.error() != 0 && out.error() != EPIPE) {
      mpp::msg::Error(std::string("cannot write standard output: ") + std::strerror(out.error()) +
                      "; the output is incomplete");
      return mpp::ExitCode(mpp::ErrorKind::kUnexpected);
    }
  } catch (const std::exception& e) {
    mpp::msg::Error(std::string("unexpected: ") + e.what());
    return 1;
  }
  return 0;
}
