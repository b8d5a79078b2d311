// The actions behind `mpp wallet ...`, one function per subcommand, over a shared options struct.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/payment_options.h"
#include "crypto/address.h"

namespace mpp::cli {

// `mpp wallet channels [list|close|recover] [ID]` and its flags.
struct ChannelFlags {
  std::string action;  // list (also when empty), close or recover
  std::string id;      // a channel id, or an unambiguous 0x-prefixed start of one
  bool all = false;
  bool force = false;
  bool finalize = false;
};

struct WalletOptions {
  std::string name;  // the NAME positional of the subcommand, when given
  bool light = false;
  bool insecure_no_password = false;
  std::string password_file;
  std::string keystore_file;
  bool yes_print_private_key = false;
  bool yes = false;
  bool json = false;
  bool names_only = false;
  std::string since;
  std::string until;  // spend
  bool csv = false;   // spend
  std::vector<std::string> tokens;
  double fund_timeout_s = 60;
  PaymentFlags network;  // --network, --rpc-url, --config, -v (channels: also --wallet, --password-file)
  ChannelFlags channels;
};

// The address a wallet command is about: the NAME given, else MPP_PRIVATE_KEY, else the default wallet
// (both looked up in `env`).
Result<crypto::Address> ResolveWalletAddress(const WalletOptions& options, const wallet::EnvLookup& env);

Status WalletNew(const WalletOptions& options, Io& io, const Services& services);
Status WalletImport(const WalletOptions& options, Io& io, const Services& services);
Status WalletExport(const WalletOptions& options, Io& io, const Services& services);
Status WalletList(const WalletOptions& options, Io& io, const Services& services);
Status WalletUse(const WalletOptions& options, Io& io, const Services& services);
Status WalletAddress(const WalletOptions& options, Io& io, const Services& services);
Status WalletRemove(const WalletOptions& options, Io& io, const Services& services);
Status WalletBalance(const WalletOptions& options, Io& io, const Services& services);
Status WalletFund(const WalletOptions& options, Io& io, const Services& services);
Status WalletHistory(const WalletOptions& options, Io& io, const Services& services);
Status WalletSpend(const WalletOptions& options, Io& io, const Services& services);
Status WalletReconcile(const WalletOptions& options, Io& io, const Services& services);
Status WalletChannels(const WalletOptions& options, Io& io, const Services& services);

}  // namespace mpp::cli
