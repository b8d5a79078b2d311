#include "cli/usage.h"

#include <gtest/gtest.h>

namespace mpp::cli {
namespace {

CommandNode UsageTree() {
  return {"mpp",
          {{"chat", {}},
           {"models", {}},
           {"quote", {}},
           {"wallet", {{"new", {}}, {"history", {}}, {"reconcile", {}}}}}};
}

TEST(SuggestName, FindsTheNearestNameOrAUniquePrefix) {
  const std::vector<std::string> names = {"chat", "models", "quote", "wallet", "help"};
  EXPECT_EQ(SuggestName("chaat", names), "chat");
  EXPECT_EQ(SuggestName("walet", names), "wallet");
  EXPECT_EQ(SuggestName("mod", names), "models");
  EXPECT_EQ(SuggestName("frobnicate", names), std::nullopt);
  EXPECT_EQ(SuggestName("x", names), std::nullopt);
}

TEST(UsageErrorMessage, SuggestsListsAndPointsAtTheRightHelp) {
  EXPECT_EQ(
      UsageErrorMessage(UsageTree(), {"chaat", "hi"}, "ignored"),
      "unknown command 'chaat'; did you mean 'chat'? The commands are: chat, models, quote, wallet, help "
      "(run 'mpp --help' for usage)");
  EXPECT_EQ(UsageErrorMessage(UsageTree(), {"wallet", "-v", "frobnicate"}, "ignored"),
            "unknown wallet command 'frobnicate'; the wallet commands are: new, history, reconcile (run 'mpp "
            "wallet --help' for usage)");
  EXPECT_EQ(UsageErrorMessage(UsageTree(), {"wallet"}, "A subcommand is required"),
            "'mpp wallet' needs a command: new, history, reconcile (run 'mpp wallet --help' for usage)");
  EXPECT_EQ(
      UsageErrorMessage(UsageTree(), {"chat", "--bogus"}, "The following argument was not expected: --bogus"),
      "The following argument was not expected: --bogus (run 'mpp chat --help' for usage)");
  EXPECT_EQ(UsageErrorMessage(UsageTree(), {"wallet", "history", "--x"}, "bad"),
            "bad (run 'mpp wallet history --help' for usage)");
}

TEST(RewriteHelpCommand, TurnsHelpIntoTheCommandsHelpFlag) {
  std::string error;
  EXPECT_EQ(*RewriteHelpCommand(UsageTree(), {"help"}, error), std::vector<std::string>{"--help"});
  EXPECT_EQ(*RewriteHelpCommand(UsageTree(), {"help", "wallet", "reconcile"}, error),
            (std::vector<std::string>{"wallet", "reconcile", "--help"}));
  EXPECT_EQ(*RewriteHelpCommand(UsageTree(), {"chat", "help"}, error),
            (std::vector<std::string>{"chat", "help"}));
  EXPECT_FALSE(RewriteHelpCommand(UsageTree(), {"help", "chaat"}, error));
  EXPECT_NE(error.find("did you mean 'chat'"), std::string::npos) << error;
}

}  // namespace
}  // namespace mpp::cli
