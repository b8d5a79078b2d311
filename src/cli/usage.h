// What a usage error says: the command the user meant ("did you mean"), the commands there are, and
// the --help that explains the one they were running. Pure, so every message is unit-tested.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpp::cli {

// The command tree as --help lists it: mpp's commands, and the wallet's under "wallet".
struct CommandNode {
  std::string name;
  std::vector<CommandNode> children;
};

// The closest of `known` to `typed`: edit distance at most 2 (and less than the word's length), or
// `typed` a prefix of exactly one name. nullopt when nothing is close.
std::optional<std::string> SuggestName(std::string_view typed, const std::vector<std::string>& known);

// Where the words of a command line lead in `root`: the commands recognised, in order, and the first
// word that names no command where one was expected (words starting with '-' are skipped; below a
// command without subcommands nothing is checked).
struct CommandPath {
  std::vector<const CommandNode*> nodes;  // root first
  std::optional<std::string> unknown;     // the word that named no command
};
CommandPath FollowCommand(const CommandNode& root, const std::vector<std::string>& args);

// The one-line error for a failed parse of `args` (argv without the program name): an unknown command
// with "did you mean" and the list; a missing command with the list; otherwise `parser_message`. Each
// ends by pointing at the --help of the command being run ("run 'mpp wallet --help'").
std::string UsageErrorMessage(const CommandNode& root, const std::vector<std::string>& args,
                              std::string_view parser_message);

// `mpp help [CMD...]` as the equivalent `mpp [CMD...] --help`; other command lines unchanged. nullopt
// (with `error` set to the message) when CMD names no command.
std::optional<std::vector<std::string>> RewriteHelpCommand(const CommandNode& root,
                                                           std::vector<std::string> args, std::string& error);

}  // namespace mpp::cli
