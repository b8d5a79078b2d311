#include "cli/usage.h"

#include <algorithm>

#include "util/text.h"

namespace mpp::cli {
namespace {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> ChildNames(const CommandNode& node) {
  std::vector<std::string> names;
  for (const auto& child : node.children) names.push_back(child.name);
  if (node.name == "mpp") names.push_back("help");
  return names;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string CommandLine(const CommandPath& path) {
  std::string text;
  for (const CommandNode* node : path.nodes) text += (text.empty() ? "" : " ") + node->name;
  return text;
}

}  // namespace

std::optional<std::string> SuggestName(std::string_view typed, const std::vector<std::string>& known) {
  if (typed.empty()) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& name : known) {
    const std::size_t distance = EditDistance(typed, name);
    if (distance < best_distance && distance < typed.size()) {
      best = name;
      best_distance = distance;
    }
  }
  if (best) return best;
  std::vector<std::string> prefixed;
  std::copy_if(known.begin(), known.end(), std::back_inserter(prefixed),
               [&](const std::string& name) { return name.starts_with(typed); });
  if (prefixed.size() == 1) return prefixed.front();
  return std::nullopt;
}

CommandPath FollowCommand(const CommandNode& root, const std::vector<std::string>& args) {
  CommandPath path;
  path.nodes.push_back(&root);
  for (const auto& word : args) {
    const CommandNode* node = path.nodes.back();
    if (node->children.empty()) break;
    if (word.starts_with("-")) continue;
    auto child = std::find_if(node->children.begin(), node->children.end(),
                              [&](const CommandNode& c) { return c.name == word; });
    if (child == node->children.end()) {
      path.unknown = word;
      break;
    }
    path.nodes.push_back(&*child);
  }
  return path;
}

std::string UsageErrorMessage(const CommandNode& root, const std::vector<std::string>& args,
                              std::string_view parser_message) {
  const CommandPath path = FollowCommand(root, args);
  const CommandNode& node = *path.nodes.back();
  const std::string line = CommandLine(path);
  const std::string help = " (run '" + line + " --help' for usage)";
  const std::vector<std::string> choices = ChildNames(node);
  const std::string what = path.nodes.size() == 1 ? "command" : line.substr(4) + " command";
  if (path.unknown) {
    std::string text = "unknown " + what + " '" + DisplayText(*path.unknown, 40) + "'";
    if (auto suggestion = SuggestName(*path.unknown, choices)) {
      return text + "; did you mean '" + *suggestion + "'? The " + what + "s are: " + Joined(choices) + help;
    }
    return text + "; the " + what + "s are: " + Joined(choices) + help;
  }
  if (!node.children.empty()) {
    return "'" + line + "' needs a command: " + Joined(choices) + help;
  }
  return std::string(parser_message) + help;
}

std::optional<std::vector<std::string>> RewriteHelpCommand(const CommandNode& root,
                                                           std::vector<std::string> args,
                                                           std::string& error) {
  if (args.empty() || args.front() != "help") return args;
  args.erase(args.begin());
  const CommandPath path = FollowCommand(root, args);
  if (path.unknown) {
    error = UsageErrorMessage(root, args, "");
    return std::nullopt;
  }
  std::vector<std::string> rewritten;
  for (std::size_t i = 1; i < path.nodes.size(); ++i) rewritten.push_back(path.nodes[i]->name);
  rewritten.push_back("--help");
  return rewritten;
}

}  // namespace mpp::cli
