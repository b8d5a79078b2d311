// mpp wallet channels close [ID|--all] [--force|--finalize]: the cooperative close through the
// channel's service, or the payer's own requestClose and, after the grace period, withdraw. Each ends
// with the chain's word: a channel is marked closed only once its deposit is gone from the escrow.
#include <algorithm>
#include <chrono>
#include <optional>
#include <ostream>
#include <thread>

#include "cli/channels_render.h"
#include "cli/pay_context.h"
#include "cli/wallet_channels.h"
#include "mpp/fee_quote.h"
#include "mpp/session_close.h"
#include "tempo/chains.h"
#include "tempo/channel_queries.h"
#include "tempo/escrow_transaction.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/interrupt.h"
#include "util/message.h"
#include "util/text.h"
#include "util/utc_time.h"
#include "wallet/journal.h"

namespace mpp::cli {
namespace {

using protocol::ChannelStatus;
using protocol::StoredChannel;

// A cooperative close waits for the service to send its close transaction; allow for a slow chain.
constexpr long kCloseTimeoutMs = 60'000;
// After the close, how often and how long the chain is asked whether the deposit is gone.
constexpr int kGoneChecks = 6;
constexpr std::chrono::milliseconds kGoneCheckInterval{400};

using SignPayerCall = Result<tempo::SignedEscrowTransaction> (*)(const tempo::ChannelDescriptor&,
                                                                 const crypto::Address&,
                                                                 const tempo::EscrowTxSettings&,
                                                                 const crypto::PrivateKey&);

// Everything one close needs, for one invocation.
struct CloseRun {
  ChannelsContext& context;
  Io& io;
  const Services& services;
  const crypto::PrivateKey& key;
};

std::string Amount(const U256& amount, const StoredChannel& channel) {
  return tempo::TokenAmountText(amount, channel.scope.token, channel.scope.chain_id);
}

std::string WhenText(std::int64_t at, std::int64_t now) {
  return FormatUtcTimestamp(at) + " (in " + DurationText(at - now) + ")";
}

Result<tempo::BlockHead> Head(tempo::RpcClient& rpc) {
  return tempo::ReadBlockHead(rpc.Call("eth_getBlockByNumber", tempo::LatestBlockParams()));
}

// The record of `listed`'s scope as it is on disk now, under the lock `hold` holds: another process
// may have signed a higher voucher since the listing.
Result<StoredChannel> Reload(wallet::ChannelStore& store, const StoredChannel& listed) {
  auto loaded = store.Load(listed.scope);
  if (!loaded) return loaded.error();
  if (!*loaded || (*loaded)->channel_id != listed.channel_id) {
    return MakeError(ErrorKind::kWallet, "the record of channel " + ChannelIdText(listed.channel_id) +
                                             " changed while mpp was closing it; run the command again");
  }
  return std::move(**loaded);
}

Status SaveAs(CloseRun& run, StoredChannel channel, ChannelStatus status) {
  channel.status = status;
  channel.updated_at = run.services.now();
  return run.context.store->Save(channel);
}

// Asks until the chain holds nothing for `channel` (a node may answer a moment behind the service).
Result<bool> WaitUntilGone(tempo::RpcClient& rpc, const StoredChannel& channel) {
  for (int check = 1;; ++check) {
    auto state = ChainStateOf(rpc, channel);
    if (!state) return state.error();
    if (!state->Exists()) return true;
    if (check == kGoneChecks) return false;
    if (InterruptRequested())
      return MakeError(ErrorKind::kInterrupted, "interrupted while waiting for the chain");
    std::this_thread::sleep_for(kGoneCheckInterval);
  }
}

// The channel's newest `kind` event in the blocks since `from_block`, when the node has it.
std::optional<tempo::EscrowEvent> NewestEvent(tempo::RpcClient& rpc, tempo::EscrowEventKind kind,
                                              const StoredChannel& channel, std::uint64_t from_block) {
  auto head = Head(rpc);
  if (!head) return std::nullopt;
  tempo::LogScanLimits limits;
  if (head->number >= from_block) limits.depth_blocks = head->number - from_block + 1;
  auto events = tempo::FindChannelEvents(tempo::RpcLogQuery(rpc), kind, channel.scope.escrow,
                                         channel.channel_id, head->number, limits);
  if (!events) {
    msg::Verbose("the escrow's events could not be read (" + events.error().message + ")");
    return std::nullopt;
  }
  if (events->empty()) return std::nullopt;
  return events->front();
}

// What the payer got back and the payee kept: the ChannelClosed event, else the payer's balance
// change (plus the fee it paid, when it sent the transaction itself).
struct Refund {
  U256 refunded;
  U256 kept;
};

Refund RefundOf(tempo::RpcClient& rpc, const StoredChannel& channel, std::uint64_t from_block,
                const U256& deposit, const std::optional<U256>& balance_before, const U256& fee_paid) {
  if (auto event = NewestEvent(rpc, tempo::EscrowEventKind::kChannelClosed, channel, from_block)) {
    const auto& closed = std::get<tempo::ChannelClosedEvent>(*event);
    return {closed.refunded_to_payer, closed.settled_to_payee};
  }
  Refund refund;
  if (balance_before) {
    if (auto after = rpc.BalanceOf(channel.scope.token, channel.scope.payer)) {
      U256 gained = U256::CheckedSub(*after, *balance_before).value_or(U256());
      refund.refunded = U256::SaturatingAdd(gained, fee_paid);
    }
  }
  refund.kept = U256::CheckedSub(deposit, refund.refunded).value_or(U256());
  return refund;
}

// The journal's close event for `channel`: what it is and whom it concerns; refund, hash and fee unset.
wallet::ChannelCloseEvent CloseEventOf(const StoredChannel& channel, std::string mode, const U256& deposit) {
  wallet::ChannelCloseEvent event;
  event.mode = std::move(mode);
  event.endpoint = channel.endpoint;
  event.channel_id = ChannelIdText(channel.channel_id);
  event.escrow = channel.scope.escrow.ToChecksumHex();
  event.payer = channel.scope.payer.ToChecksumHex();
  event.payee = channel.scope.payee.ToChecksumHex();
  event.token = channel.scope.token.ToChecksumHex();
  event.chain_id = channel.scope.chain_id;
  event.deposit = deposit;
  return event;
}

// Notes in the journal, durably, the escrow transaction about to be broadcast for `channel` (mode
// "request-close-sent" or "withdraw-sent", with its hash), so that a crash between the broadcast and
// its receipt still leaves a record of the fee-paying transaction. The record of its outcome, with the
// same hash, follows (JournalClose); `wallet history` then shows only that one.
Status JournalSending(CloseRun& run, const StoredChannel& channel, std::string mode, const Hash32& tx_hash) {
  wallet::ChannelCloseEvent sending = CloseEventOf(channel, std::move(mode), channel.deposit);
  sending.tx_hash = ToHex(ByteView(tx_hash.data(), tx_hash.size()));
  wallet::Journal journal(run.context.paths.JournalFile(), std::nullopt, run.services.now);
  if (auto appended = journal.Append(wallet::MakeCloseRecord(sending, run.services.now())); !appended) {
    return MakeError(ErrorKind::kWallet, "nothing was sent: the journal could not note the " + sending.mode +
                                             " transaction for channel " + sending.channel_id + ": " +
                                             appended.error().message);
  }
  return {};
}

// Simulates the payer's escrow call, prices it within --max-fee and the balance, signs it with `sign`,
// journals it (JournalSending) and broadcasts it; its receipt.
Result<tempo::TransactionReceipt> SendPayerCall(CloseRun& run, const StoredChannel& channel,
                                                std::string_view what, const Bytes& calldata,
                                                SignPayerCall sign) {
  tempo::RpcClient& rpc = *run.context.rpc;
  const std::string id = ChannelIdText(channel.channel_id);
  auto simulated = rpc.EstimateGas(channel.scope.payer, channel.scope.escrow, ToHex(calldata));
  if (!simulated) {
    const std::string said = DisplayText(simulated.error().message);
    if (said.find("CloseNotReady") != std::string::npos) {
      return MakeError(ErrorKind::kPaymentRefusedLocally, "the chain says the grace period of channel " + id +
                                                              " is not over yet; run this again later");
    }
    if (said.find("revert") != std::string::npos) {
      return MakeError(ErrorKind::kPaymentRefusedLocally, "the chain would refuse " + std::string(what) +
                                                              " on channel " + id + " (" + said + ")");
    }
    return simulated.error();
  }
  const PaymentSettings& settings = run.context.settings;
  tempo::EscrowTxSettings tx_settings;
  tx_settings.chain_id = channel.scope.chain_id;
  const protocol::FeeValues defaults;
  tx_settings.gas_limit = defaults.gas_limit;
  tx_settings.max_fee_per_gas = defaults.max_fee_per_gas;
  tx_settings.max_priority_fee_per_gas = defaults.max_priority_fee_per_gas;
  tempo::SetExpiringWindow(tx_settings, run.services.now());
  auto draft = sign(channel.descriptor, channel.scope.escrow, tx_settings, run.key);
  if (!draft) return draft.error();
  auto quote = protocol::QuoteFees(&rpc, channel.scope.chain_id, channel.scope.payer,
                                   channel.descriptor.token, draft->tx, true);
  if (!quote) return quote.error();
  if (quote->max_fee > settings.policy.max_fee) {
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     std::string(what) + " would cost up to " + Amount(quote->max_fee, channel) +
                         " in fees, over --max-fee " + FormatTokenAmount(settings.policy.max_fee));
  }
  if (quote->balance && *quote->balance < quote->max_fee) {
    return MakeError(ErrorKind::kWallet, "the payer holds " + Amount(*quote->balance, channel) + " but " +
                                             std::string(what) + " may cost up to " +
                                             Amount(quote->max_fee, channel) + " in fees; fund " +
                                             channel.scope.payer.ToChecksumHex());
  }
  tx_settings.gas_limit = quote->values.gas_limit;
  tx_settings.max_fee_per_gas = quote->values.max_fee_per_gas;
  tx_settings.max_priority_fee_per_gas = quote->values.max_priority_fee_per_gas;
  auto signed_tx = sign(channel.descriptor, channel.scope.escrow, tx_settings, run.key);
  if (!signed_tx) return signed_tx.error();
  if (!signed_tx->tx_hash) {
    return MakeError(ErrorKind::kUnexpected, "the signed " + std::string(what) + " transaction has no hash");
  }
  const std::string sent_mode = what == "withdraw" ? "withdraw-sent" : "request-close-sent";
  if (auto noted = JournalSending(run, channel, sent_mode, *signed_tx->tx_hash); !noted) return noted.error();
  msg::Info("sending " + std::string(what) + " for channel " + id + " (up to " +
            Amount(quote->max_fee, channel) + " in fees)");
  auto receipt = rpc.SendRawTransactionSync(ToHex(signed_tx->credential_bytes));
  if (!receipt) return receipt.error();
  if (!receipt->success) {
    return MakeError(ErrorKind::kNetwork, std::string(what) + " transaction " +
                                              DisplayText(receipt->transaction_hash) + " failed on chain");
  }
  return receipt;
}

// A channel the chain no longer holds: the record says so from now on.
Status MarkGone(CloseRun& run, const StoredChannel& listed) {
  auto hold = run.context.store->Lock(listed.scope);
  if (!hold) return hold.error();
  auto fresh = Reload(*run.context.store, listed);
  if (!fresh) return fresh.error();
  if (auto saved = SaveAs(run, std::move(*fresh), ChannelStatus::kClosed); !saved) return saved;
  run.io.out << "channel " << ChannelIdText(listed.channel_id)
             << " was already closed on chain (nothing more comes back); marked closed\n";
  return {};
}

// Notes in the payment journal what the chain did to `channel`, so `wallet history` shows the close
// beside the payments. The money has moved either way: a failure is a warning.
void JournalClose(CloseRun& run, const StoredChannel& channel, std::string mode, const U256& deposit,
                  const Refund& refund, std::string tx_hash, const std::optional<U256>& fee_paid) {
  wallet::ChannelCloseEvent close = CloseEventOf(channel, std::move(mode), deposit);
  close.refunded = refund.refunded;
  close.kept = refund.kept;
  close.tx_hash = std::move(tx_hash);
  close.fee_paid = fee_paid;
  wallet::Journal journal(run.context.paths.JournalFile(), std::nullopt, run.services.now);
  if (auto appended = journal.Append(wallet::MakeCloseRecord(close, run.services.now())); !appended) {
    msg::Warning("could not note the close of channel " + close.channel_id +
                 " in the journal: " + appended.error().message);
  }
}

void PrintClosed(CloseRun& run, const StoredChannel& channel, const Refund& refund, const std::string& how) {
  run.io.out << "closed channel " << ChannelIdText(channel.channel_id) << " " << how << ": "
             << Amount(refund.refunded, channel) << " refunded, " << Amount(refund.kept, channel)
             << " kept by the payee\n";
}

Status CloseCooperative(CloseRun& run, const StoredChannel& listed) {
  tempo::RpcClient& rpc = *run.context.rpc;
  auto state = ChainStateOf(rpc, listed);
  if (!state) return state.error();
  if (!state->Exists()) return MarkGone(run, listed);
  auto head = Head(rpc);
  if (!head) return head.error();
  std::optional<U256> balance_before;
  if (auto balance = rpc.BalanceOf(listed.scope.token, listed.scope.payer)) balance_before = *balance;

  auto hold = run.context.store->Lock(listed.scope);
  if (!hold) return hold.error();
  auto fresh = Reload(*run.context.store, listed);
  if (!fresh) return fresh.error();
  net::TransportLimits limits;
  limits.total_timeout_ms = kCloseTimeoutMs;
  std::unique_ptr<net::HttpTransport> http = run.services.transport(limits);
  if (!fresh->endpoint.empty()) {
    msg::Info("asking " + DisplayText(protocol::ManagementEndpoint(fresh->endpoint)) + " to close channel " +
              ChannelIdText(fresh->channel_id) + " at " + Amount(fresh->cumulative, *fresh) + " signed");
  }
  auto closed = protocol::CloseCooperatively(*fresh, run.key, *http);
  if (!closed) return closed.error();
  if (!closed->receipt_problem.empty()) {
    msg::Warning("the service's close receipt is not trusted: " + closed->receipt_problem);
  }
  auto gone = WaitUntilGone(rpc, *fresh);
  if (!gone) return gone.error();
  if (!*gone) {
    return MakeError(ErrorKind::kNetwork, "the service accepted the close of channel " +
                                              ChannelIdText(fresh->channel_id) +
                                              " but the chain still holds its deposit; check again with 'mpp "
                                              "wallet channels' (the record stays open)");
  }
  const Refund refund = RefundOf(rpc, *fresh, head->number, state->deposit, balance_before, U256());
  if (closed->receipt) {
    fresh->accepted = closed->receipt->accepted_cumulative;
    fresh->spent = closed->receipt->spent;
  }
  if (auto saved = SaveAs(run, *fresh, ChannelStatus::kClosed); !saved) return saved;
  const std::string close_tx =
      closed->receipt && closed->receipt->tx_hash ? ChannelIdText(*closed->receipt->tx_hash) : std::string();
  JournalClose(run, *fresh, "cooperative", state->deposit, refund, close_tx, std::nullopt);
  std::string how = "by its service";
  if (!close_tx.empty()) how += " (tx " + close_tx + ")";
  PrintClosed(run, *fresh, refund, how);
  return {};
}

// When withdraw may be sent: the CloseRequested event's closeGraceEnd, else closeRequestedAt plus the
// escrow's CLOSE_GRACE_PERIOD (900 s when the escrow does not say).
std::int64_t ReadyAt(tempo::RpcClient& rpc, const StoredChannel& channel, const tempo::ChannelState& state) {
  if (auto head = Head(rpc)) {
    auto events = tempo::FindChannelEvents(tempo::RpcLogQuery(rpc), tempo::EscrowEventKind::kCloseRequested,
                                           channel.scope.escrow, channel.channel_id, head->number);
    if (events && !events->empty()) {
      const U256& end = std::get<tempo::CloseRequestedEvent>(events->front()).close_grace_end;
      if (end.FitsUint64() && end.Low64() < static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(end.Low64());
    }
  }
  std::uint64_t grace = tempo::kDefaultCloseGraceSeconds;
  if (auto read = tempo::ReadCloseGracePeriod(
          rpc.Call("eth_call", tempo::CloseGracePeriodParams(channel.scope.escrow)))) {
    grace = *read;
  } else {
    msg::Verbose("the escrow did not say its grace period (" + read.error().message + "); assuming 900 s");
  }
  return static_cast<std::int64_t>(state.close_requested_at + grace);
}

Status RequestClose(CloseRun& run, const StoredChannel& listed) {
  tempo::RpcClient& rpc = *run.context.rpc;
  const std::string id = ChannelIdText(listed.channel_id);
  auto state = ChainStateOf(rpc, listed);
  if (!state) return state.error();
  if (!state->Exists()) return MarkGone(run, listed);
  auto hold = run.context.store->Lock(listed.scope);
  if (!hold) return hold.error();
  auto fresh = Reload(*run.context.store, listed);
  if (!fresh) return fresh.error();
  std::string tx_text;
  if (state->close_requested_at == 0) {
    auto head = Head(rpc);
    if (!head) return head.error();
    auto receipt = SendPayerCall(run, *fresh, "requestClose", tempo::RequestCloseCalldata(fresh->descriptor),
                                 tempo::SignRequestCloseTransaction);
    if (!receipt) return receipt.error();
    tx_text = " (tx " + DisplayText(receipt->transaction_hash) + ")";
    JournalClose(run, *fresh, "request-close", state->deposit, Refund{}, receipt->transaction_hash,
                 receipt->fee_paid);
    auto after = ChainStateOf(rpc, *fresh);
    if (!after) return after.error();
    state = *after;
  } else {
    tx_text = " (it was already requested)";
  }
  if (auto saved = SaveAs(run, *fresh, ChannelStatus::kClosing); !saved) return saved;
  const std::int64_t now = run.services.now();
  const std::int64_t ready = ReadyAt(rpc, *fresh, *state);
  const U256 back = U256::CheckedSub(state->deposit, state->settled).value_or(U256());
  run.io.out
      << "requested the close of channel " << id << tx_text << ": " << Amount(back, *fresh)
      << " (the deposit less what the payee settled) comes back with 'mpp wallet channels close --finalize "
      << id << "' from " << WhenText(ready, now) << "\n";
  return {};
}

Status Finalize(CloseRun& run, const StoredChannel& listed) {
  tempo::RpcClient& rpc = *run.context.rpc;
  const std::string id = ChannelIdText(listed.channel_id);
  auto state = ChainStateOf(rpc, listed);
  if (!state) return state.error();
  if (!state->Exists()) return MarkGone(run, listed);
  if (state->close_requested_at == 0) {
    return MakeError(ErrorKind::kPaymentRefusedLocally, "no close was requested for channel " + id +
                                                            "; run 'mpp wallet channels close --force " + id +
                                                            "' first (or close it through its service)");
  }
  auto head = Head(rpc);
  if (!head) return head.error();
  // The chain head's time, or the clock when no block was made since (a quiet chain, a test chain).
  const std::int64_t now = std::max(head->timestamp, run.services.now());
  const std::int64_t ready = ReadyAt(rpc, listed, *state);
  if (now < ready) {
    return MakeError(ErrorKind::kPaymentRefusedLocally, "the grace period of channel " + id + " ends at " +
                                                            WhenText(ready, now) + "; run this again then");
  }
  std::optional<U256> balance_before;
  if (auto balance = rpc.BalanceOf(listed.scope.token, listed.scope.payer)) balance_before = *balance;
  auto hold = run.context.store->Lock(listed.scope);
  if (!hold) return hold.error();
  auto fresh = Reload(*run.context.store, listed);
  if (!fresh) return fresh.error();
  auto receipt = SendPayerCall(run, *fresh, "withdraw", tempo::WithdrawCalldata(fresh->descriptor),
                               tempo::SignWithdrawTransaction);
  if (!receipt) return receipt.error();
  auto gone = WaitUntilGone(rpc, *fresh);
  if (!gone) return gone.error();
  if (!*gone) {
    return MakeError(ErrorKind::kNetwork, "withdraw " + DisplayText(receipt->transaction_hash) +
                                              " went through but the chain still holds channel " + id +
                                              "; check again with 'mpp wallet channels'");
  }
  const Refund refund =
      RefundOf(rpc, *fresh, head->number, state->deposit, balance_before, receipt->fee_paid.value_or(U256()));
  if (auto saved = SaveAs(run, *fresh, ChannelStatus::kClosed); !saved) return saved;
  JournalClose(run, *fresh, "withdraw", state->deposit, refund, receipt->transaction_hash, receipt->fee_paid);
  PrintClosed(run, *fresh, refund, "by withdraw (tx " + DisplayText(receipt->transaction_hash) + ")");
  return {};
}

Status CheckFlags(const ChannelFlags& f) {
  if (f.force && f.finalize) {
    return MakeError(ErrorKind::kUsage, "--force and --finalize are two steps of the forced close; give one");
  }
  if ((f.force || f.finalize) && f.all) {
    return MakeError(ErrorKind::kUsage, "--force and --finalize take one channel ID, not --all");
  }
  if (f.all && !f.id.empty()) return MakeError(ErrorKind::kUsage, "give a channel ID or --all, not both");
  if (!f.all && f.id.empty()) {
    return MakeError(ErrorKind::kUsage,
                     "which channel? give its ID ('mpp wallet channels' lists them) or --all");
  }
  return {};
}

Result<crypto::PrivateKey> WalletKey(const ChannelsContext& context, const Services& services) {
  auto keys = WalletKeySource(context.settings, services.env);
  if (!keys) return keys.error();
  return (*keys)();
}

Status CloseOne(const WalletOptions& o, ChannelsContext& context, std::vector<StoredChannel>& records, Io& io,
                const Services& services) {
  auto listed = FindChannelRecord(records, o.channels.id);
  if (!listed) return listed.error();
  const std::string id = ChannelIdText(listed->channel_id);
  if (listed->scope.chain_id != context.settings.policy.chain_id) {
    return MakeError(ErrorKind::kUsage, "channel " + id + " is on " +
                                            tempo::ChainText(listed->scope.chain_id) +
                                            "; choose that network with --network");
  }
  if (listed->status == ChannelStatus::kClosed) {
    io.out << "channel " << id << " is already closed; nothing to do\n";
    return {};
  }
  if (auto checked = CheckRpcChain(context); !checked) return checked;
  auto key = WalletKey(context, services);
  if (!key) return key.error();
  if (crypto::Address::FromPublicKey(key->GetPublicKey()) != listed->scope.payer) {
    return MakeError(ErrorKind::kWallet, "channel " + id + " was opened by " +
                                             listed->scope.payer.ToChecksumHex() +
                                             "; choose that wallet with --wallet or MPP_PRIVATE_KEY");
  }
  CloseRun run{context, io, services, *key};
  if (o.channels.force) return RequestClose(run, *listed);
  if (o.channels.finalize) return Finalize(run, *listed);
  return CloseCooperative(run, *listed);
}

Status CloseAll(ChannelsContext& context, const std::vector<StoredChannel>& records, Io& io,
                const Services& services) {
  std::vector<const StoredChannel*> open;
  for (const auto& record : records) {
    if (record.status == ChannelStatus::kClosed) continue;
    if (record.scope.chain_id != context.settings.policy.chain_id) {
      msg::Info("channel " + ChannelIdText(record.channel_id) + " is on " +
                tempo::ChainText(record.scope.chain_id) +
                ": left alone (choose that network with --network)");
      continue;
    }
    open.push_back(&record);
  }
  if (open.empty()) {
    io.out << "no open channels to close on " << context.settings.chain->name << "\n";
    return {};
  }
  if (auto checked = CheckRpcChain(context); !checked) return checked;
  auto key = WalletKey(context, services);
  if (!key) return key.error();
  const crypto::Address payer = crypto::Address::FromPublicKey(key->GetPublicKey());
  CloseRun run{context, io, services, *key};
  std::optional<Error> first_failure;
  std::size_t failed = 0;
  for (const StoredChannel* record : open) {
    if (record->scope.payer != payer) {
      msg::Info("channel " + ChannelIdText(record->channel_id) + " belongs to " +
                record->scope.payer.ToChecksumHex() + ": left alone (choose that wallet with --wallet)");
      continue;
    }
    Status closed = CloseCooperative(run, *record);
    if (closed) continue;
    if (closed.error().kind == ErrorKind::kInterrupted) return closed;
    msg::Warning("channel " + ChannelIdText(record->channel_id) + " not closed: " + closed.error().message);
    if (!first_failure) first_failure = closed.error();
    ++failed;
  }
  if (first_failure) {
    return MakeError(first_failure->kind, std::to_string(failed) +
                                              " channel(s) could not be closed (see above); "
                                              "'mpp wallet channels close --force ID' closes "
                                              "one without its service");
  }
  return {};
}

}  // namespace

Status ChannelsClose(const WalletOptions& o, Io& io, const Services& services) {
  if (auto checked = CheckFlags(o.channels); !checked) return checked;
  auto context = OpenChannelsContext(o, services);
  if (!context) return context.error();
  auto records = context->store->List();
  if (!records) return records.error();
  if (o.channels.all) return CloseAll(*context, *records, io, services);
  return CloseOne(o, *context, *records, io, services);
}

}  // namespace mpp::cli
