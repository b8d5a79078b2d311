#include "cli/wallet.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/wallet_commands.h"
#include "util/message.h"

namespace mpp::cli {
namespace {

using WalletRun = Status (*)(const WalletOptions&, Io&, const Services&);
// Adds a subcommand's positional and options, bound to the shared options struct.
using WalletSetup = void (*)(CLI::App& sub, WalletOptions& o);

void AddPasswordFile(CLI::App& sub, WalletOptions& o) {
  sub.add_option("--password-file", o.password_file, "Read the password from the first line of FILE");
}

void AddNetwork(CLI::App& sub, WalletOptions& o) {
  sub.add_option("--network", o.network.network, "mainnet or testnet (env MPP_NETWORK; default mainnet)");
  sub.add_option("--rpc-url", o.network.rpc_url, "Tempo JSON-RPC endpoint (env MPP_RPC_URL)");
  sub.add_option("--config", o.network.config_file, "Config file (env MPP_CONFIG)");
}

void AddNamedWallet(CLI::App& sub, WalletOptions& o) {
  sub.add_option("name", o.name, "Wallet name (default: MPP_PRIVATE_KEY, else the default wallet)");
}

void SetupNewOrImport(CLI::App& sub, WalletOptions& o) {
  sub.add_option("name", o.name, "Wallet name (default: \"default\")");
  sub.add_flag("--light", o.light, "Faster, weaker scrypt (n=4096, p=6) for throwaway keys");
  sub.add_flag("--insecure-no-password", o.insecure_no_password,
               "Store the key UNENCRYPTED (not recommended)");
  AddPasswordFile(sub, o);
}

void SetupImport(CLI::App& sub, WalletOptions& o) {
  SetupNewOrImport(sub, o);
  sub.add_option("--keystore", o.keystore_file, "Import this V3 keystore file (geth, Foundry)");
}

void SetupExport(CLI::App& sub, WalletOptions& o) {
  sub.add_option("name", o.name, "Wallet name (default: the default wallet)");
  sub.add_flag("--yes-print-private-key", o.yes_print_private_key, "Print the raw hex private key");
  AddPasswordFile(sub, o);
}

void SetupList(CLI::App& sub, WalletOptions& o) {
  sub.add_flag("--names", o.names_only, "Print names only, one per line (for completions and scripts)");
  sub.add_flag("--json", o.json, "JSON output");
}

void SetupUse(CLI::App& sub, WalletOptions& o) { sub.add_option("name", o.name, "Wallet name")->required(); }

void SetupRemove(CLI::App& sub, WalletOptions& o) {
  sub.add_option("name", o.name, "Wallet name")->required();
  sub.add_flag("-y,--yes", o.yes, "Do not ask for confirmation");
}

void SetupBalance(CLI::App& sub, WalletOptions& o) {
  AddNamedWallet(sub, o);
  sub.add_option("--token", o.tokens, "Also show this token address (repeatable)")->allow_extra_args(false);
  sub.add_flag("--json", o.json, "JSON output");
  AddNetwork(sub, o);
}

void SetupFund(CLI::App& sub, WalletOptions& o) {
  AddNamedWallet(sub, o);
  sub.add_option("--wait", o.fund_timeout_s, "Seconds to wait for the balance to move (default 60)");
  AddNetwork(sub, o);
}

void SetupHistory(CLI::App& sub, WalletOptions& o) {
  sub.add_option("--since", o.since, "Only payments on or after this UTC date (YYYY-MM-DD)");
  sub.add_flag("--json", o.json, "JSON output");
}

void SetupSpend(CLI::App& sub, WalletOptions& o) {
  sub.add_option("--since", o.since,
                 "Only payments at or after this: a UTC date (YYYY-MM-DD) or a time back (1d, 12h, 30m)");
  sub.add_option("--until", o.until,
                 "Only payments before this: a UTC date (through its end) or a time back (1d, 12h)");
  auto* json = sub.add_flag("--json", o.json, "JSON output: one object");
  sub.add_flag("--csv", o.csv, "CSV output: one flat table for spreadsheets")->excludes(json);
}

void SetupChannels(CLI::App& sub, WalletOptions& o) {
  sub.add_option("action", o.channels.action, "list (the default), close or recover")
      ->check(CLI::IsMember({"list", "close", "recover"}));
  sub.add_option("id", o.channels.id, "close: the channel's id (or its first 6+ hex digits, with 0x)");
  sub.add_flag("--all", o.channels.all, "close: every open channel of the wallet on the network");
  sub.add_flag("--force", o.channels.force,
               "close: send the payer's own requestClose, without the service (then --finalize)");
  sub.add_flag("--finalize", o.channels.finalize,
               "close: withdraw the deposit once a forced close's grace period is over");
  sub.add_flag("--json", o.json, "JSON output (the list)");
  sub.add_option("--wallet", o.network.wallet,
                 "The wallet that pays the channels (env MPP_WALLET; default: the default wallet)");
  sub.add_option("--password-file", o.network.password_file,
                 "Read the wallet password from the first line of FILE");
  AddNetwork(sub, o);
}

struct WalletSubcommand {
  const char* name;
  const char* summary;
  WalletSetup setup;
  WalletRun run;
  const char* examples;
};

// One table, so --help and the completions list the same subcommands.
constexpr WalletSubcommand kSubcommands[] = {
    {"new", "Create a key, stored encrypted (Web3 Secret Storage v3)", SetupNewOrImport, WalletNew,
     "  mpp wallet new                       create the default wallet (asks for a password)\n"
     "  mpp wallet new work --password-file ~/.mpp-password\n"
     "  MPP_PASSWORD=test mpp wallet new scratch --light"},
    {"import", "Import a hex private key from stdin, or a keystore file", SetupImport, WalletImport,
     "  mpp wallet import work < key.hex\n"
     "  mpp wallet import dev --keystore ~/.foundry/keystores/dev"},
    {"export", "Print the keystore JSON, or the hex key with --yes-print-private-key", SetupExport,
     WalletExport,
     "  mpp wallet export work > work.json\n"
     "  mpp wallet export work --yes-print-private-key"},
    {"list", "List wallets: name, address, default marker", SetupList, WalletList,
     "  mpp wallet list\n"
     "  mpp wallet list --json | jq -r '.[].address'"},
    {"use", "Make NAME the default wallet", SetupUse, WalletUse,
     "  mpp wallet use work\n"
     "  mpp wallet use work && mpp wallet address"},
    {"address", "Print a wallet's address", AddNamedWallet, WalletAddress,
     "  mpp wallet address\n"
     "  mpp wallet address work"},
    {"remove", "Remove a wallet (its key file is moved aside, never deleted)", SetupRemove, WalletRemove,
     "  mpp wallet remove scratch\n"
     "  mpp wallet remove scratch --yes"},
    {"balance", "Show token balances over JSON-RPC", SetupBalance, WalletBalance,
     "  mpp wallet balance\n"
     "  mpp wallet balance work --network testnet --json"},
    {"fund", "Ask the testnet faucet for tokens and wait for them", SetupFund, WalletFund,
     "  mpp wallet fund --network testnet\n"
     "  mpp wallet fund work --network testnet --wait 120"},
    {"history", "List payments and channel closes from the journal, with totals per day, service and token",
     SetupHistory, WalletHistory,
     "  mpp wallet history\n"
     "  mpp wallet history --since 2026-11-01 --json | jq '.payments | length'"},
    {"spend", "Spend reports from the journal: totals by day, service, model, conversation and template",
     SetupSpend, WalletSpend,
     "  mpp wallet spend --since 1d\n"
     "  mpp wallet spend --since 2026-11-01 --until 2026-11-30 --json | jq '.total'\n"
     "  mpp wallet spend --since 7d --csv > spend.csv"},
    {"reconcile", "Ask the chain about payments of unknown outcome and journal its answer", AddNetwork,
     WalletReconcile,
     "  mpp wallet reconcile\n"
     "  mpp wallet reconcile --network testnet && mpp wallet history"},
    {"channels", "List, close and recover payment channels (sessions) and their deposits", SetupChannels,
     WalletChannels,
     "  mpp wallet channels                       the channels, with what the chain holds for each\n"
     "  mpp wallet channels close --all           close every channel through its service\n"
     "  mpp wallet channels close --force 0x1a2b3c and, 15 minutes later, --finalize\n"
     "  mpp wallet channels recover               find the wallet's channels on chain again"},
};

}  // namespace

Action SetupWallet(CLI::App& sub) {
  auto options = std::make_shared<WalletOptions>();
  auto chosen = std::make_shared<WalletRun>(nullptr);
  sub.require_subcommand(1, 1);
  for (const auto& entry : kSubcommands) {
    CLI::App* child = sub.add_subcommand(entry.name, entry.summary);
    entry.setup(*child, *options);
    child->add_flag("-v,--verbose", options->network.verbosity, "Explain what happens on stderr");
    child->footer(std::string("Examples:\n") + entry.examples);
    WalletRun run = entry.run;
    child->final_callback([chosen, run] { *chosen = run; });
  }
  sub.footer(
      "Examples:\n"
      "  mpp wallet new                     create the default wallet (asks for a password)\n"
      "  mpp wallet fund --network testnet  get testnet tokens from the faucet\n"
      "  mpp wallet history --since 2026-11-01");
  return [options, chosen](Io& io, const Services& services) -> Status {
    msg::SetVerbosity(options->network.verbosity);
    return (*chosen)(*options, io, services);
  };
}

}  // namespace mpp::cli
