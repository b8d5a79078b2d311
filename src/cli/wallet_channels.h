// mpp wallet channels: the payment channels of the channel store (wallet::ChannelStore) joined with
// what the chain says about them; their cooperative and forced close (SESSION.md 3.5, 9); their
// recovery from the chain's ChannelOpened logs (SESSION.md 8). What the three actions share is here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/payment_options.h"
#include "cli/wallet_commands.h"
#include "mpp/channel_book.h"
#include "net/http.h"
#include "tempo/escrow_abi.h"
#include "tempo/rpc.h"
#include "util/error.h"
#include "wallet/channel_store.h"
#include "wallet/paths.h"

namespace mpp::cli {

// The network, files and RPC the channel commands work with.
struct ChannelsContext {
  PaymentSettings settings;
  wallet::Paths paths;
  std::unique_ptr<wallet::ChannelStore> store;
  std::unique_ptr<net::HttpTransport> rpc_http;
  std::unique_ptr<tempo::RpcClient> rpc;
};

// Resolves the settings (--network, --rpc-url, --config, --wallet, --password-file and their
// environment) and the data directory, and opens the store in <data_dir>/channels.
Result<ChannelsContext> OpenChannelsContext(const WalletOptions& options, const Services& services);

// Refuses (kPaymentRefusedLocally) an RPC on another chain than the settings' network, before any
// transaction is signed for it.
Status CheckRpcChain(ChannelsContext& context);

// The channel's state on chain now (getChannelState at the latest block).
Result<tempo::ChannelState> ChainStateOf(tempo::RpcClient& rpc, const protocol::StoredChannel& channel);

// The record `id` names: a whole channel id, or a 0x-prefixed start of one (at least 6 hex digits)
// that only one record has. kUsage for text that is neither or names several; kWallet when no record
// has it (with the fix: list them, or recover from the chain).
Result<protocol::StoredChannel> FindChannelRecord(const std::vector<protocol::StoredChannel>& records,
                                                  const std::string& id);

// 0x + 64 lowercase hex.
std::string ChannelIdText(const Hash32& channel_id);

Status ChannelsList(const WalletOptions& options, Io& io, const Services& services);
Status ChannelsClose(const WalletOptions& options, Io& io, const Services& services);
Status ChannelsRecover(const WalletOptions& options, Io& io, const Services& services);

}  // namespace mpp::cli
