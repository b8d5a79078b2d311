// mpp wallet channels recover: the payer's channels the chain knows and the store does not (lost or
// deleted records), rebuilt from their ChannelOpened logs, with the highest voucher the journal says
// was signed on each, so they can be closed (or paid on) again.
#include <algorithm>
#include <map>
#include <ostream>

#include "cli/wallet_channels.h"
#include "tempo/channel_queries.h"
#include "util/hex.h"
#include "util/message.h"
#include "util/text.h"
#include "wallet/journal.h"

namespace mpp::cli {
namespace {

using protocol::ChannelStatus;
using protocol::StoredChannel;

// What the journal says about one channel.
struct JournaledChannel {
  U256 cumulative;  // the highest voucher signed on it
  std::string url;  // the last URL paid on it
  std::string realm;
  std::int64_t first_time = 0;
};

// The journal's session records by channel: the signed records of session payments (url, realm,
// cumulative) and their voucher records (cumulative).
std::map<Hash32, JournaledChannel> JournaledChannels(const wallet::JournalContents& contents) {
  std::map<Hash32, JournaledChannel> out;
  for (const auto& record : contents.records) {
    if (record.channel_id.empty()) continue;
    if (record.type != wallet::RecordType::kSigned && record.type != wallet::RecordType::kVoucher) continue;
    auto id = Hash32FromHex(record.channel_id);
    if (!id) continue;
    JournaledChannel& channel = out[*id];
    channel.cumulative = std::max(channel.cumulative, record.cumulative);
    if (record.type == wallet::RecordType::kSigned) {
      if (!record.url.empty()) channel.url = record.url;
      if (!record.realm.empty()) channel.realm = record.realm;
      if (channel.first_time == 0 || record.time < channel.first_time) channel.first_time = record.time;
    }
  }
  return out;
}

// A record for a live channel the store does not have.
StoredChannel RecoveredRecord(const tempo::OpenedChannel& opened, const protocol::ChannelScope& scope,
                              const tempo::ChannelState& state, const JournaledChannel* journaled,
                              std::int64_t now) {
  StoredChannel record;
  record.scope = scope;
  record.channel_id = opened.channel_id;
  record.descriptor = opened.descriptor;
  record.status = state.close_requested_at != 0 ? ChannelStatus::kClosing : ChannelStatus::kOpen;
  record.deposit = state.deposit;
  // Never below what the payee already settled: a close must be signed at least that high.
  record.cumulative = std::max(journaled != nullptr ? journaled->cumulative : U256(), state.settled);
  record.cumulative = std::min(record.cumulative, state.deposit);
  if (journaled != nullptr) {
    record.endpoint = journaled->url;
    record.realm = journaled->realm;
  }
  record.opened_at = journaled != nullptr && journaled->first_time > 0 ? journaled->first_time : now;
  record.updated_at = now;
  return record;
}

}  // namespace

Status ChannelsRecover(const WalletOptions& o, Io& io, const Services& services) {
  auto context = OpenChannelsContext(o, services);
  if (!context) return context.error();
  if (auto checked = CheckRpcChain(*context); !checked) return checked;
  WalletOptions who = o;
  who.name = o.network.wallet;
  auto payer = ResolveWalletAddress(who, services.env);
  if (!payer) return payer.error();
  tempo::RpcClient& rpc = *context->rpc;
  auto head = tempo::ReadBlockHead(rpc.Call("eth_getBlockByNumber", tempo::LatestBlockParams()));
  if (!head) return head.error();
  const std::uint64_t chain_id = context->settings.policy.chain_id;
  const crypto::Address escrow = context->settings.policy.trusted_escrow;
  const tempo::LogScanLimits limits;
  msg::Info("looking for channels opened by " + payer->ToChecksumHex() + " in the last " +
            std::to_string(limits.depth_blocks) + " blocks of " + std::string(context->settings.chain->name));
  auto opened =
      tempo::FindChannelsOpenedBy(tempo::RpcLogQuery(rpc), *payer, escrow, chain_id, head->number, limits);
  if (!opened) return opened.error();

  wallet::Journal journal(context->paths.JournalFile());
  auto contents = journal.Read();
  if (!contents) return contents.error();
  const std::map<Hash32, JournaledChannel> journaled = JournaledChannels(*contents);

  std::size_t live = 0;
  std::size_t recovered = 0;
  for (const auto& channel : *opened) {
    const std::string id = ChannelIdText(channel.channel_id);
    auto state =
        tempo::ReadChannelState(rpc.Call("eth_call", tempo::ChannelStateParams(escrow, channel.channel_id)));
    if (!state) return state.error();
    if (!state->Exists()) continue;
    ++live;
    const protocol::ChannelScope scope{*payer, channel.descriptor.payee, channel.descriptor.token, escrow,
                                       chain_id};
    auto hold = context->store->Lock(scope);
    if (!hold) return hold.error();
    auto existing = context->store->Load(scope);
    if (!existing) return existing.error();
    const bool replaceable = !*existing || (*existing)->status == ChannelStatus::kClosed ||
                             (*existing)->status == ChannelStatus::kStale;
    if (*existing && (*existing)->channel_id == channel.channel_id && !replaceable) {
      io.out << "channel " << id << " is already in the store\n";
      continue;
    }
    if (!replaceable) {
      msg::Warning("channel " + id + " is open on chain, but the store keeps channel " +
                   ChannelIdText((*existing)->channel_id) +
                   " for the same payee and token; close that one, then run recover again");
      continue;
    }
    const auto found = journaled.find(channel.channel_id);
    const JournaledChannel* known = found != journaled.end() ? &found->second : nullptr;
    StoredChannel record = RecoveredRecord(channel, scope, *state, known, services.now());
    if (auto saved = context->store->Save(record); !saved) return saved;
    ++recovered;
    io.out << "recovered channel " << id << ": deposit "
           << tempo::TokenAmountText(state->deposit, scope.token, chain_id) << ", "
           << tempo::TokenAmountText(record.cumulative, scope.token, chain_id)
           << (known != nullptr ? " signed (from the journal)" : " signed (the payee's settled amount)")
           << (record.endpoint.empty()
                   ? "; no endpoint known: close it with 'mpp wallet channels close --force " + id + "'"
                   : "; endpoint " + DisplayText(record.endpoint, 120))
           << "\n";
  }
  msg::Info(std::to_string(opened->size()) + " channel(s) opened by this payer found, " +
            std::to_string(live) + " still open on chain, " + std::to_string(recovered) +
            " recovered into the store");
  return {};
}

}  // namespace mpp::cli
