#include "cli/wallet.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/wallet_commands.h"
#include "util/message.h"

namespace mpp::cli {
namespace {

using WalletRun = Status (*)(const WalletOptions&, Io&, const Services&);

struct WalletSubcommand {
  const char* name;
  const char* summary;
  WalletRun run;
  const char* examples;
};

// One table, so --help and the completions list the same subcommands.
constexpr WalletSubcommand kSubcommands[] = {
    {"new", "Create a key, stored encrypted (Web3 Secret Storage v3)", WalletNew,
     "  mpp wallet new                       create the default wallet (asks for a password)\n"
     "  mpp wallet new work --password-file ~/.mpp-password\n"
     "  MPP_PASSWORD=test mpp wallet new scratch --light"},
    {"import", "Import a hex private key from stdin, or a keystore file", WalletImport,
     "  mpp wallet import work < key.hex\n"
     "  mpp wallet import dev --keystore ~/.foundry/keystores/dev"},
    {"export", "Print the keystore JSON, or the hex key with --yes-print-private-key", WalletExport,
     "  mpp wallet export work > work.json\n"
     "  mpp wallet export work --yes-print-private-key"},
    {"list", "List wallets: name, address, default marker", WalletList,
     "  mpp wallet list\n"
     "  mpp wallet list --json | jq -r '.[].address'"},
    {"use", "Make NAME the default wallet", WalletUse,
     "  mpp wallet use work\n"
     "  mpp wallet use work && mpp wallet address"},
    {"address", "Print a wallet's address", WalletAddress,
     "  mpp wallet address\n"
     "  mpp wallet address work"},
    {"remove", "Remove a wallet (its key file is moved aside, never deleted)", WalletRemove,
     "  mpp wallet remove scratch\n"
     "  mpp wallet remove scratch --yes"},
    {"balance", "Show token balances over JSON-RPC", WalletBalance,
     "  mpp wallet balance\n"
     "  mpp wallet balance work --network testnet --json"},
    {"fund", "Ask the testnet faucet for tokens and wait for them", WalletFund,
     "  mpp wallet fund --network testnet\n"
     "  mpp wallet fund work --network testnet --wait 120"},
    {"history", "List payments from the journal, with totals per day, service and token", WalletHistory,
     "  mpp wallet history\n"
     "  mpp wallet history --since 2026-11-01 --json | jq '.payments | length'"},
    {"reconcile", "Ask the chain about payments of unknown outcome and journal its answer", WalletReconcile,
     "  mpp wallet reconcile\n"
     "  mpp wallet reconcile --network testnet && mpp wallet history"},
};

void AddPasswordFile(CLI::App& sub, WalletOptions& o) {
  sub.add_option("--password-file", o.password_file, "Read the password from the first line of FILE");
}

void AddNetwork(CLI::App& sub, WalletOptions& o) {
  sub.add_option("--network", o.network.network, "mainnet or testnet (env MPP_NETWORK; default mainnet)");
  sub.add_option("--rpc-url", o.network.rpc_url, "Tempo JSON-RPC endpoint (env MPP_RPC_URL)");
  sub.add_option("--config", o.network.config_file, "Config file (env MPP_CONFIG)");
}

void AddOptions(const std::string& name, CLI::App& sub, WalletOptions& o) {
  if (name == "new" || name == "import") {
    sub.add_option("name", o.name, "Wallet name (default: \"default\")");
    sub.add_flag("--light", o.light, "Faster, weaker scrypt (n=4096, p=6) for throwaway keys");
    sub.add_flag("--insecure-no-password", o.insecure_no_password,
                 "Store the key UNENCRYPTED (not recommended)");
    AddPasswordFile(sub, o);
    if (name == "import")
      sub.add_option("--keystore", o.keystore_file, "Import this V3 keystore file (geth, Foundry)");
  } else if (name == "export") {
    sub.add_option("name", o.name, "Wallet name (default: the default wallet)");
    sub.add_flag("--yes-print-private-key", o.yes_print_private_key, "Print the raw hex private key");
    AddPasswordFile(sub, o);
  } else if (name == "list") {
    sub.add_flag("--names", o.names_only, "Print names only, one per line (for completions and scripts)");
    sub.add_flag("--json", o.json, "JSON output");
  } else if (name == "use") {
    sub.add_option("name", o.name, "Wallet name")->required();
  } else if (name == "address") {
    sub.add_option("name", o.name, "Wallet name (default: MPP_PRIVATE_KEY, else the default wallet)");
  } else if (name == "remove") {
    sub.add_option("name", o.name, "Wallet name")->required();
    sub.add_flag("-y,--yes", o.yes, "Do not ask for confirmation");
  } else if (name == "balance") {
    sub.add_option("name", o.name, "Wallet name (default: MPP_PRIVATE_KEY, else the default wallet)");
    sub.add_option("--token", o.tokens, "Also show this token address (repeatable)")->allow_extra_args(false);
    sub.add_flag("--json", o.json, "JSON output");
    AddNetwork(sub, o);
  } else if (name == "fund") {
    sub.add_option("name", o.name, "Wallet name (default: MPP_PRIVATE_KEY, else the default wallet)");
    sub.add_option("--wait", o.fund_timeout_s, "Seconds to wait for the balance to move (default 60)");
    AddNetwork(sub, o);
  } else if (name == "reconcile") {
    AddNetwork(sub, o);
  } else if (name == "history") {
    sub.add_option("--since", o.since, "Only payments on or after this UTC date (YYYY-MM-DD)");
    sub.add_flag("--json", o.json, "JSON output");
  }
  sub.add_flag("-v,--verbose", o.network.verbosity, "Explain what happens on stderr");
}

}  // namespace

Action SetupWallet(CLI::App& sub) {
  auto options = std::make_shared<WalletOptions>();
  auto chosen = std::make_shared<WalletRun>(nullptr);
  sub.require_subcommand(1, 1);
  for (const auto& entry : kSubcommands) {
    CLI::App* child = sub.add_subcommand(entry.name, entry.summary);
    AddOptions(entry.name, *child, *options);
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
