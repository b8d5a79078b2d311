#include <array>

#include "cli/chat.h"
#include "cli/command.h"
#include "cli/logs.h"
#include "cli/models.h"
#include "cli/quote.h"
#include "cli/templates.h"
#include "cli/wallet.h"

namespace mpp::cli {

std::span<const CommandSpec> Commands() {
  static constexpr std::array<CommandSpec, 6> kCommands{{
      {"chat", "Send a prompt or a JSON request to a paid chat service; print the completion", SetupChat},
      {"logs", "Show logged prompts and answers again, without sending anything", SetupLogs},
      {"models", "List the models a service offers", SetupModels},
      {"quote", "Show what a call would cost, without paying", SetupQuote},
      {"templates", "List, show, edit and remove the chat templates saved with 'mpp chat --save'",
       SetupTemplates},
      {"wallet", "Create, import and inspect keys; balances, faucet and payment history", SetupWallet},
  }};
  return kCommands;
}

}  // namespace mpp::cli
