// mpp wallet channels (list) and what the channel actions share.
#include "cli/wallet_channels.h"

#include <ostream>

#include "cli/channels_render.h"
#include "tempo/chains.h"
#include "tempo/channel_queries.h"
#include "util/hex.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

// The RPC calls of `wallet channels` are reads and the payer's own transactions: give them time.
constexpr long kChannelsRpcTimeoutMs = 30'000;
// The shortest 0x-prefixed start of an id `close` accepts.
constexpr std::size_t kMinIdPrefixDigits = 6;

}  // namespace

Result<ChannelsContext> OpenChannelsContext(const WalletOptions& o, const Services& services) {
  auto settings = ResolvePaymentSettings(o.network, services.env);
  if (!settings) return settings.error();
  auto paths = wallet::ResolvePaths(services.env);
  if (!paths) return paths.error();
  ChannelsContext context;
  context.settings = std::move(*settings);
  context.paths = *paths;
  context.store = std::make_unique<wallet::ChannelStore>(paths->ChannelsDir(), paths->JournalFile());
  net::TransportLimits limits;
  limits.total_timeout_ms = kChannelsRpcTimeoutMs;
  context.rpc_http = services.transport(limits);
  context.rpc = std::make_unique<tempo::RpcClient>(context.settings.rpc_url, *context.rpc_http);
  return context;
}

Status CheckRpcChain(ChannelsContext& context) {
  auto chain = context.rpc->ChainId();
  if (!chain) return chain.error();
  if (*chain != context.settings.policy.chain_id) {
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     "the RPC at " + context.settings.rpc_url + " is on chain " + std::to_string(*chain) +
                         ", not " + tempo::ChainText(context.settings.policy.chain_id) +
                         "; point --rpc-url at that network");
  }
  return {};
}

Result<tempo::ChannelState> ChainStateOf(tempo::RpcClient& rpc, const protocol::StoredChannel& channel) {
  return tempo::ReadChannelState(
      rpc.Call("eth_call", tempo::ChannelStateParams(channel.scope.escrow, channel.channel_id)));
}

std::string ChannelIdText(const Hash32& channel_id) {
  return ToHex(ByteView(channel_id.data(), channel_id.size()));
}

Result<protocol::StoredChannel> FindChannelRecord(const std::vector<protocol::StoredChannel>& records,
                                                  const std::string& id) {
  const std::string wanted = AsciiLower(id);
  const bool hex = wanted.size() >= 2 + kMinIdPrefixDigits && wanted.size() <= 66 &&
                   wanted.starts_with("0x") &&
                   wanted.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
  if (!hex) {
    return MakeError(ErrorKind::kUsage, "'" + DisplayText(id, 80) +
                                            "' is not a channel id (0x and 64 hex digits, or at least the "
                                            "first " +
                                            std::to_string(kMinIdPrefixDigits) + " of them)");
  }
  const protocol::StoredChannel* found = nullptr;
  for (const auto& record : records) {
    if (!ChannelIdText(record.channel_id).starts_with(wanted)) continue;
    if (found != nullptr) {
      return MakeError(ErrorKind::kUsage, "'" + id + "' starts the ids of several channels; give more of it");
    }
    found = &record;
  }
  if (found == nullptr) {
    return MakeError(ErrorKind::kWallet,
                     "no channel " + id +
                         " in the store; 'mpp wallet channels' lists them and "
                         "'mpp wallet channels recover' finds the payer's channels on chain");
  }
  return *found;
}

Status ChannelsList(const WalletOptions& o, Io& io, const Services& services) {
  auto context = OpenChannelsContext(o, services);
  if (!context) return context.error();
  auto records = context->store->List();
  if (!records) return records.error();
  const std::uint64_t chain_id = context->settings.policy.chain_id;
  std::vector<ChannelRow> rows;
  std::size_t elsewhere = 0;
  for (auto& record : *records) {
    ChannelRow row{std::move(record), std::nullopt};
    if (row.record.scope.chain_id != chain_id) {
      ++elsewhere;
    } else if (row.record.status != protocol::ChannelStatus::kClosed) {
      auto state = ChainStateOf(*context->rpc, row.record);
      if (!state) return state.error();
      row.chain = *state;
    }
    rows.push_back(std::move(row));
  }
  if (elsewhere > 0) {
    msg::Info(std::to_string(elsewhere) + " channel(s) on other networks than " +
              std::string(context->settings.chain->name) +
              " show no chain state (choose one with --network)");
  }
  io.out << (o.json ? RenderChannelsJson(rows, services.now()) : RenderChannelsText(rows, services.now()));
  return {};
}

Status WalletChannels(const WalletOptions& o, Io& io, const Services& services) {
  const ChannelFlags& f = o.channels;
  const bool closing = f.action == "close";
  if (!closing && (f.all || f.force || f.finalize)) {
    return MakeError(ErrorKind::kUsage,
                     "--all, --force and --finalize belong to 'mpp wallet channels close'");
  }
  if (!closing && !f.id.empty()) {
    return MakeError(ErrorKind::kUsage,
                     "a channel ID goes with 'close': 'mpp wallet channels close " + f.id + "'");
  }
  if (f.action.empty() || f.action == "list") return ChannelsList(o, io, services);
  if (closing) return ChannelsClose(o, io, services);
  return ChannelsRecover(o, io, services);
}

}  // namespace mpp::cli
