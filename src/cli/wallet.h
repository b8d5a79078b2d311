// mpp wallet: create, import and inspect keys; balances, the testnet faucet, payment history.
#pragma once

#include "cli/command.h"

namespace mpp::cli {

Action SetupWallet(CLI::App& sub);

}  // namespace mpp::cli
