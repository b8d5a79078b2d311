#include "mpp/session_intent.h"

#include "mpp/challenge.h"
#include "mpp/charge_request.h"
#include "mpp/charge_transaction.h"
#include "mpp/credential.h"
#include "mpp/fee_quote.h"
#include "mpp/session_close.h"
#include "mpp/session_credential.h"
#include "mpp/session_events.h"
#include "mpp/session_receipt.h"
#include "tempo/chains.h"
#include "tempo/channel_queries.h"
#include "tempo/escrow_abi.h"
#include "tempo/escrow_transaction.h"
#include "tempo/proof.h"
#include "tempo/voucher.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/message.h"
#include "util/utc_time.h"

namespace mpp::protocol {
namespace {

std::string ChannelText(const Hash32& channel_id) {
  return ToHex(ByteView(channel_id.data(), channel_id.size()));
}

// The fee and window of an escrow transaction (open or top-up) for `terms`, at mpp's default gas.
tempo::EscrowTxSettings EscrowSettingsFor(const SessionTerms& terms, std::int64_t now) {
  tempo::EscrowTxSettings settings;
  settings.chain_id = terms.chain_id;
  settings.sponsored = terms.request.fee_payer;
  if (terms.request.fee_token) settings.fee_token = *terms.request.fee_token;
  const FeeValues defaults;
  settings.gas_limit = defaults.gas_limit;
  settings.max_fee_per_gas = defaults.max_fee_per_gas;
  settings.max_priority_fee_per_gas = defaults.max_priority_fee_per_gas;
  tempo::SetExpiringWindow(settings, now);
  return settings;
}

void UseQuotedGas(tempo::EscrowTxSettings& settings, const FeeQuote& quote) {
  settings.gas_limit = quote.values.gas_limit;
  settings.max_fee_per_gas = quote.values.max_fee_per_gas;
  settings.max_priority_fee_per_gas = quote.values.max_priority_fee_per_gas;
}

// The escrow's state of channel `id` at the latest block (getChannelState: zeros for a channel that
// does not exist).
Result<tempo::ChannelState> ChainChannelState(tempo::RpcClient& rpc, const crypto::Address& escrow,
                                              const Hash32& id) {
  return tempo::ReadChannelState(rpc.Call("eth_call", tempo::ChannelStateParams(escrow, id)));
}

// A pending escrow transaction that did not land is safe to forget this long after its window closed
// (clock skew between mpp and the chain).
constexpr std::int64_t kPendingGraceSeconds = 10;

// What a stored record means for the next call, once the chain settled what the record left open: the
// channel to pay on, or nullopt for "open a new one". Updates `stored` (status, deposit, pending) to
// what the chain showed; refuses when the chain cannot tell yet (an open or top-up that may still land)
// or the channel is being closed.
Result<std::optional<OpenChannel>> ResumeStored(StoredChannel& stored, tempo::RpcClient* rpc,
                                                std::int64_t now) {
  const std::string id = ToHex(ByteView(stored.channel_id.data(), stored.channel_id.size()));
  switch (stored.status) {
    case ChannelStatus::kClosed:
    case ChannelStatus::kStale:
      return std::optional<OpenChannel>();
    case ChannelStatus::kClosing:
      return MakeError(ErrorKind::kPaymentRefusedLocally,
                       "channel " + id +
                           " to this payee is being closed; finish it with 'mpp wallet channels " +
                           "close --finalize " + id + "' before mpp opens another");
    case ChannelStatus::kOpening:
    case ChannelStatus::kOpen:
      break;
  }
  if (stored.pending) {
    const PendingChannelTx& pending = *stored.pending;
    const bool open = pending.kind == PendingChannelTx::Kind::kOpen;
    if (rpc == nullptr) {
      return MakeError(ErrorKind::kWallet, "an earlier call left channel " + id + "'s " +
                                               (open ? "open" : "top-up") +
                                               " unconfirmed and there is no RPC to ask; give --rpc-url");
    }
    auto state = ChainChannelState(*rpc, stored.scope.escrow, stored.channel_id);
    if (!state) {
      return MakeError(ErrorKind::kNetwork, "could not ask the chain whether an earlier " +
                                                std::string(open ? "open" : "top-up") + " of channel " + id +
                                                " landed (" + state.error().message + "); retry");
    }
    const U256 expected = open ? pending.deposit : U256::SaturatingAdd(stored.deposit, pending.deposit);
    const bool expired = now > static_cast<std::int64_t>(pending.valid_before) + kPendingGraceSeconds;
    if (open && state->Exists()) {
      stored.status = ChannelStatus::kOpen;
      stored.deposit = state->deposit;
      stored.pending.reset();
      msg::Verbose("channel " + id + ", opened by an earlier call, is on chain");
    } else if (!open && state->deposit >= expected) {
      stored.deposit = state->deposit;
      stored.pending.reset();
    } else if (expired) {
      stored.pending.reset();
      if (open) {
        stored.status = ChannelStatus::kStale;
        msg::Verbose("channel " + id + "'s open never landed; opening a new channel");
        return std::optional<OpenChannel>();
      }
    } else {
      return MakeError(ErrorKind::kWallet,
                       "an earlier call's " + std::string(open ? "open" : "top-up") + " of channel " + id +
                           " may still land (until " +
                           FormatUtcTimestamp(static_cast<std::int64_t>(pending.valid_before)) +
                           "); retry in " +
                           std::to_string(static_cast<std::int64_t>(pending.valid_before) +
                                          kPendingGraceSeconds - now + 1) +
                           " s");
    }
  }
  if (stored.status == ChannelStatus::kOpening) stored.status = ChannelStatus::kOpen;
  return std::optional<OpenChannel>(OpenChannel{stored.descriptor, stored.channel_id, stored.scope.escrow,
                                                stored.scope.chain_id, stored.deposit, stored.cumulative});
}

Error StopPaying(const std::string& why) {
  return MakeError(ErrorKind::kPaymentRefusedLocally, why + "; mpp stopped paying and signed nothing more");
}

class PreparedSession final : public PreparedPayment {
 public:
  PreparedSession(Challenge challenge, SessionTerms terms, std::shared_ptr<SessionIntent::Slot> slot)
      : challenge_(challenge),
        echo_(std::move(challenge)),
        terms_(std::move(terms)),
        slot_(std::move(slot)),
        hold_(slot_->busy) {}

  Result<SecretString> Credential() const override {
    auto credential =
        BuildSessionCredential(challenge_, payload, tempo::DidPkh(terms_.chain_id, record.payer));
    if (!credential) return credential.error();
    return SecretString(std::move(*credential));
  }

  // A voucher is about to leave: from now on it is the highest one signed on the channel, whatever
  // the server answers. An open counts once it settled (RecordSettlement).
  // A voucher past the deposit is preceded by a top-up (journaled, then sent as a management POST).
  // With a channel store, the descriptor and the pending open (or the new cumulative) are on disk first.
  Status BeforeSend(IntentContext& context, PaymentLedger& ledger) override {
    const std::int64_t now = context.settings.now();
    if (opening) {
      stored_.status = ChannelStatus::kOpening;
      stored_.opened_at = now;
      stored_.accepted = U256();
      stored_.spent = U256();
      stored_.pending = PendingChannelTx{PendingChannelTx::Kind::kOpen, record.tx_hash, channel.deposit,
                                         record.valid_before};
    }
    if (top_up_first) {
      if (auto topped = TopUp(channel.cumulative, context, ledger); !topped) {
        ledger.RecordRefused(payment_id, "not sent: " + topped.error().message);
        return topped;
      }
    }
    // A voucher's cumulative is in the journal's signed record already; an open's record must be durable.
    if (auto kept = Persist(now, /*journaled=*/!opening); !kept) {
      ledger.RecordRefused(payment_id, "not sent: " + kept.error().message);
      return kept;
    }
    if (!opening && slot_->channel) slot_->channel->cumulative = channel.cumulative;
    return {};
  }

  std::string StakeText() const override {
    const std::uint64_t chain = terms_.chain_id;
    std::string text = FormatTokenAmount(CallAmount()) + " (token " + record.currency.ToChecksumHex() + ")" +
                       (fees_.IsZero() ? "" : " + network fee up to " + FormatTokenAmount(fees_));
    if (opening) {
      return text + ", opening channel " + ChannelText(channel.channel_id) + " with a deposit of " +
             tempo::TokenAmountText(channel.deposit, record.currency, chain);
    }
    return text + ", voucher for " + tempo::TokenAmountText(channel.cumulative, record.currency, chain) +
           " in all on channel " + ChannelText(channel.channel_id);
  }

  // A session receipt for this channel and challenge, holding no more than mpp signed and having
  // spent no more than it holds (CheckSessionReceipt).
  std::optional<std::string> ReceiptMismatch(const Receipt&, std::string_view header_value) const override {
    auto receipt = ParseSessionReceiptHeader(header_value);
    if (!receipt) return receipt.error().message;
    auto checked = CheckSessionReceipt(*receipt, channel.channel_id, challenge_.id, channel.cumulative);
    if (!checked) return checked.error().message;
    return std::nullopt;
  }

  // The open's transaction hash when mpp paid its fee; a voucher puts nothing on chain.
  std::string Reference(const Receipt*) const override { return record.tx_hash; }

  void RecordSettlement(PaymentLedger& ledger, const Receipt* trusted, std::string_view flow_note) override {
    if (opening) {
      slot_->channel = channel;
      slot_->open = true;
      stored_.status = ChannelStatus::kOpen;
      stored_.pending.reset();
      if (auto kept = Persist(stored_.updated_at); !kept)
        msg::Warning("the channel store could not note the open: " + kept.error().message);
    }
    std::string note(flow_note);
    if (!note_.empty()) note += (note.empty() ? "" : "; ") + note_;
    if (!note.empty()) {
      ledger.RecordSettledWithNote(payment_id, record.tx_hash, trusted != nullptr, std::nullopt, note);
    } else if (trusted != nullptr || final_receipt_ok_) {
      ledger.RecordSettled(payment_id, record.tx_hash);
    } else {
      ledger.RecordSettledWithoutReceipt(payment_id, record.tx_hash);
    }
  }

  bool ReceiptInStream() const override { return final_receipt_ok_; }

  // A 410 says the channel is gone (finalized or unknown to the server). The chain decides: a channel
  // without deposit or with a close requested is stale (the next call opens another); one that is
  // still open on chain stays, for 'mpp wallet channels close'.
  void OnRefused(long status, IntentContext& context) override {
    if (status != 410 || book_ == nullptr || opening) return;
    const std::string id = ChannelText(channel.channel_id);
    if (context.rpc == nullptr) {
      msg::Warning("the service says channel " + id + " is gone; without an RPC mpp cannot confirm it");
      return;
    }
    auto state = ChainChannelState(*context.rpc, channel.escrow, channel.channel_id);
    if (!state) {
      msg::Warning("the service says channel " + id + " is gone; the chain could not confirm it (" +
                   state.error().message + ")");
      return;
    }
    if (state->Exists() && state->close_requested_at == 0) {
      msg::Warning(
          "the service says channel " + id +
          " is gone but the chain shows it open; kept ('mpp wallet channels close' returns its deposit)");
      return;
    }
    stored_.status = ChannelStatus::kStale;
    if (auto kept = Persist(context.settings.now()); !kept) {
      msg::Warning("the channel store could not mark channel " + id + " stale: " + kept.error().message);
      return;
    }
    SetKnown(std::nullopt);
    msg::Warning("the service says channel " + id +
                 " is gone and the chain agrees; the next call opens a new one");
  }

  PaymentSummary Summarize(const std::optional<Receipt>& trusted) const override {
    PaymentSummary summary = RecordSummary(trusted);
    summary.channel = ChannelPart{channel.channel_id, channel.escrow, channel.descriptor, channel.deposit,
                                  channel.cumulative};
    summary.amount = CallAmount();
    summary.fee = fees_;
    summary.fee_by_service = terms_.request.fee_payer && (opening || !fees_.IsZero());
    return summary;
  }

  // A metered stream's events (SESSION.md 6.2): a payment-need-voucher is answered, within the caps,
  // by a top-up when the deposit is short and a voucher for max(cumulative, requiredCumulative), each
  // journaled and then sent as a management POST on the second connection; the final payment-receipt
  // is checked.
  Status OnAnswerEvent(std::string_view type, std::string_view data, IntentContext& context,
                       PaymentLedger& ledger) override {
    if (type == kSessionReceiptEvent) {
      CheckFinalReceipt(data);
      return {};
    }
    if (type != kNeedVoucherEvent) return {};
    auto need = ParseNeedVoucher(data);
    if (!need) {
      return MakeError(ErrorKind::kNetwork, "the service's payment-need-voucher event is malformed (" +
                                                need.error().message + "); mpp signed nothing more");
    }
    if (need->channel_id != channel.channel_id) {
      return StopPaying("the stream asked for a voucher on another channel (" +
                        ChannelText(need->channel_id) + ", not " + ChannelText(channel.channel_id) + ")");
    }
    const PayPolicy& policy = context.settings.policy;
    const U256 target =
        need->required_cumulative > channel.cumulative ? need->required_cumulative : channel.cumulative;
    const U256 call_cost = U256::SaturatingAdd(*U256::CheckedSub(target, call_start_), fees_);
    if (call_cost > policy.max_amount) {
      return StopPaying("the stream needs " + Amount(call_cost) +
                        " for this call, fees included, over the per-call cap of " +
                        FormatTokenAmount(policy.max_amount) + " (--max-amount)");
    }
    if (target > channel.deposit) {
      if (auto topped = TopUp(target, context, ledger); !topped) return topped;
    }
    if (target > channel.cumulative) {
      PaymentIncrement increment;
      increment.kind = PaymentIncrement::Kind::kVoucher;
      increment.channel_id = ChannelText(channel.channel_id);
      increment.cumulative = target;
      increment.amount = *U256::CheckedSub(target, channel.cumulative);
      if (auto journaled = ledger.RecordIncrement(payment_id, increment); !journaled) return journaled;
      channel.cumulative = target;
      if (auto kept = Persist(context.settings.now(), /*journaled=*/true); !kept) return kept;
      if (!opening && slot_->channel) slot_->channel->cumulative = target;
    }
    auto key = Key(context);
    if (!key) return key.error();
    const auto signature =
        tempo::SignVoucher(**key, terms_.chain_id, channel.escrow, channel.channel_id, channel.cumulative);
    msg::Verbose("voucher for " + Amount(channel.cumulative) + " in all on channel " +
                 ChannelText(channel.channel_id));
    return PostManagement(
        VoucherPayload(channel.descriptor, channel.channel_id, channel.cumulative, signature), context);
  }

  // The channel this process has open in this payment's scope; read while this payment holds it.
  const std::optional<OpenChannel>& Known() const { return slot_->channel; }

  // Filled by SessionIntent::Prepare, like `record`.
  SessionPayload payload;
  std::optional<crypto::PrivateKey> key;  // the payer's, kept for the stream's vouchers and top-ups
  bool opening = false;
  bool top_up_first = false;  // the voucher passes the deposit: BeforeSend tops the channel up
  OpenChannel channel;        // the channel as it is once this payment is sent (cumulative included)
  U256 call_start_;           // the channel's cumulative before this call
  U256 fees_;                 // the most this call's transactions (open, top-ups) can cost in fees

 private:
  // The payer's key: the one Prepare signed with, so a stream's vouchers never ask for it again.
  Result<const crypto::PrivateKey*> Key(IntentContext& context) {
    if (!key) {
      auto fresh = context.keys();
      if (!fresh) return fresh.error();
      key = std::move(*fresh);
    }
    return &*key;
  }

  // What this call has added to the channel's cumulative so far.
  U256 CallAmount() const { return U256::CheckedSub(channel.cumulative, call_start_).value_or(U256()); }
  std::string Amount(const U256& amount) const {
    return tempo::TokenAmountText(amount, record.currency, terms_.chain_id);
  }

  // Raises the deposit so that `target` fits: by suggestedDeposit or the shortfall, whichever is more,
  // within --max-deposit, the cap (fee included) and the balance.
  Status TopUp(const U256& target, IntentContext& context, PaymentLedger& ledger) {
    const PayPolicy& policy = context.settings.policy;
    if (target > policy.max_deposit) {
      return StopPaying("the stream needs a deposit of " + Amount(target) + ", over --max-deposit " +
                        FormatTokenAmount(policy.max_deposit));
    }
    const U256 shortfall = *U256::CheckedSub(target, channel.deposit);
    const U256 room = *U256::CheckedSub(policy.max_deposit, channel.deposit);
    U256 additional = terms_.request.suggested_deposit.value_or(U256());
    if (additional < shortfall) additional = shortfall;
    if (additional > room) additional = room;
    auto key = Key(context);
    if (!key) return key.error();
    tempo::EscrowTxSettings settings = EscrowSettingsFor(terms_, context.settings.now());
    auto draft = tempo::SignTopUpTransaction(channel.descriptor, additional, channel.escrow, settings, **key);
    if (!draft) return draft.error();
    auto quote = QuoteFees(context.rpc, terms_.chain_id, record.payer, record.currency, draft->tx,
                           !terms_.request.fee_payer);
    if (!quote) return quote.error();
    if (quote->self_paid && quote->max_fee > policy.max_fee) {
      return StopPaying("a top-up would cost up to " + Amount(quote->max_fee) + " in fees, over --max-fee " +
                        FormatTokenAmount(policy.max_fee));
    }
    const U256 call_cost = U256::SaturatingAdd(
        U256::SaturatingAdd(*U256::CheckedSub(target, call_start_), fees_), quote->max_fee);
    if (call_cost > policy.max_amount) {
      return StopPaying("the stream needs " + Amount(call_cost) +
                        " for this call with a top-up's fee, over the per-call cap of " +
                        FormatTokenAmount(policy.max_amount) + " (--max-amount)");
    }
    if (quote->balance) {
      const U256 spare = U256::CheckedSub(*quote->balance, quote->max_fee).value_or(U256());
      if (spare < shortfall) {
        return MakeError(ErrorKind::kWallet, "the payer holds " + Amount(*quote->balance) +
                                                 " but the stream needs " + Amount(shortfall) +
                                                 " more in the channel plus up to " + Amount(quote->max_fee) +
                                                 " in fees; mpp stopped paying");
      }
      if (spare < additional) additional = spare;
    }
    UseQuotedGas(settings, *quote);
    auto top_up =
        tempo::SignTopUpTransaction(channel.descriptor, additional, channel.escrow, settings, **key);
    if (!top_up) return top_up.error();
    PaymentIncrement increment;
    increment.kind = PaymentIncrement::Kind::kTopUp;
    increment.channel_id = ChannelText(channel.channel_id);
    increment.deposit = additional;
    increment.fee = quote->max_fee;
    if (top_up->tx_hash)
      increment.tx_hash = ToHex(ByteView(top_up->tx_hash->data(), top_up->tx_hash->size()));
    if (auto journaled = ledger.RecordIncrement(payment_id, increment); !journaled) return journaled;
    fees_ = U256::SaturatingAdd(fees_, quote->max_fee);
    stored_.pending = PendingChannelTx{PendingChannelTx::Kind::kTopUp, increment.tx_hash, additional,
                                       settings.valid_before};
    if (auto kept = Persist(context.settings.now()); !kept) return kept;
    msg::Verbose("topping channel " + ChannelText(channel.channel_id) + " up by " + Amount(additional));
    if (auto sent = PostManagement(TopUpPayload(channel.descriptor, channel.channel_id, *top_up, additional),
                                   context);
        !sent) {
      return sent;
    }
    channel.deposit = U256::SaturatingAdd(channel.deposit, additional);
    stored_.pending.reset();
    if (auto kept = Persist(context.settings.now()); !kept) return kept;
    if (!opening && slot_->channel) slot_->channel->deposit = channel.deposit;
    return {};
  }

  // Sends `action` as a management POST (no body, no query) on the second connection, echoing the
  // paid request's challenge; a 402 (that challenge expired) is retried once with the fresh challenge
  // it brings, when that offers the same terms. A 2xx answer's session receipt is checked.
  Status PostManagement(const SessionPayload& action, IntentContext& context) {
    if (context.side == nullptr) {
      return MakeError(ErrorKind::kUnexpected, "no second connection to send the stream's vouchers on");
    }
    for (int attempt = 1;; ++attempt) {
      auto answer = SendManagement(action, *context.side);
      if (!answer) return answer.error();
      if (answer->status >= 200 && answer->status < 300) {
        if (auto header = answer->FirstHeader("Payment-Receipt")) {
          auto receipt = ParseSessionReceiptHeader(*header);
          Status checked =
              receipt ? CheckSessionReceipt(*receipt, channel.channel_id, echo_.id, channel.cumulative)
                      : Status(receipt.error());
          if (!checked) Distrust(checked.error().message);
        }
        return {};
      }
      std::optional<Challenge> fresh;
      if (answer->status == 402 && attempt == 1) fresh = SameOffer(*answer);
      if (!fresh) {
        return MakeError(
            ErrorKind::kPaymentRefusedByServer,
            "the service refused the stream's voucher (HTTP " + std::to_string(answer->status) + ")");
      }
      msg::Verbose("the stream's challenge expired; sending the voucher again with a fresh one");
      echo_ = std::move(*fresh);
    }
  }

  Result<net::HttpResponse> SendManagement(const SessionPayload& action, net::HttpTransport& side) {
    auto credential = BuildSessionCredential(echo_, action, tempo::DidPkh(terms_.chain_id, record.payer));
    if (!credential) return credential.error();
    net::HttpRequest post{
        "POST", ManagementEndpoint(record.url), {{CredentialHeaderName(echo_), *credential}}, ""};
    post.send_once = true;
    Wipe(*credential);
    auto answer = side.Perform(post, nullptr, nullptr);
    for (auto& header : post.headers) Wipe(header.value);
    if (!answer) {
      if (answer.error().kind == ErrorKind::kInterrupted) return answer.error();
      return MakeError(ErrorKind::kNetwork,
                       "sending the stream's voucher failed (" + answer.error().message + ")");
    }
    return answer;
  }

  // A session challenge of `answer` with this payment's realm and request (price, payee, token,
  // escrow, chain), or nullopt.
  std::optional<Challenge> SameOffer(const net::HttpResponse& answer) const {
    for (const auto& c : ParseChallenges(answer.HeaderValues("WWW-Authenticate")).challenges) {
      if (c.method != "tempo" || c.intent != "session" || c.realm != challenge_.realm) continue;
      auto r = DecodeSessionRequest(c.request);
      const SessionRequest& mine = terms_.request;
      if (r && r->amount == mine.amount && r->recipient == mine.recipient && r->currency == mine.currency &&
          r->Escrow() == mine.Escrow() && r->chain_id.value_or(kDefaultChargeChainId) == terms_.chain_id)
        return c;
    }
    return std::nullopt;
  }

  void CheckFinalReceipt(std::string_view data) {
    auto receipt = ParseSessionReceiptJson(data);
    Status checked =
        receipt ? CheckSessionReceipt(*receipt, channel.channel_id, challenge_.id, channel.cumulative)
                : Status(receipt.error());
    if (!checked) {
      Distrust(checked.error().message);
      return;
    }
    final_receipt_ok_ = true;
    stored_.accepted = receipt->accepted_cumulative;
    stored_.spent = receipt->spent;
  }

  void Distrust(const std::string& problem) {
    msg::Warning("the service's session receipt is not trusted: " + problem);
    note_ += (note_.empty() ? "" : "; ") + ("receipt not trusted: " + problem);
  }

  std::string note_;               // remarks for the journal (receipts that failed their check)
  bool final_receipt_ok_ = false;  // the stream's payment-receipt event passed its check
  Challenge challenge_;            // the paid request's: its receipts name it
  Challenge echo_;                 // what management requests echo: challenge_, or a fresh one after a 402
  SessionTerms terms_;
  std::shared_ptr<SessionIntent::Slot> slot_;
  std::unique_lock<std::mutex> hold_;  // one call at a time on a channel

 public:
  // Adopts the channel store's record of this scope (under `store_hold`), or starts one.
  void UseStore(ChannelBook& book, std::unique_ptr<ChannelBook::Hold> store_hold, StoredChannel stored) {
    book_ = &book;
    store_hold_ = std::move(store_hold);
    stored_ = std::move(stored);
  }
  // Makes `known` the channel this call continues on (or none: it opens one).
  void SetKnown(const std::optional<OpenChannel>& known) {
    slot_->channel = known;
    slot_->open = slot_->channel.has_value();
  }

 private:
  // Writes the store's record as `channel` now stands. No store: nothing to do. `journaled`: all that
  // changed is a cumulative the journal has durably recorded (ChannelBook::SaveJournaled).
  Status Persist(std::int64_t now, bool journaled = false) {
    if (book_ == nullptr) return {};
    stored_.channel_id = channel.channel_id;
    stored_.descriptor = channel.descriptor;
    stored_.deposit = channel.deposit;
    stored_.cumulative = channel.cumulative;
    stored_.endpoint = record.url;
    stored_.realm = record.realm;
    stored_.updated_at = now;
    return journaled && !stored_.pending ? book_->SaveJournaled(stored_) : book_->Save(stored_);
  }

  ChannelBook* book_ = nullptr;
  StoredChannel stored_;
  std::unique_ptr<ChannelBook::Hold> store_hold_;  // the store's lock on this scope, for the whole call
};

}  // namespace

void SessionIntent::Judge(ChallengeVerdict& verdict, const PayPolicy& policy) const {
  ApplyJudgement(verdict, &ChallengeVerdict::session, JudgeSessionChallenge(verdict.challenge, policy));
}

bool SessionIntent::HasStanding(const ChallengeVerdict& verdict, const ChannelBook* channels) const {
  if (!verdict.session) return false;
  const SessionRequest& r = verdict.session->request;
  if (channels != nullptr) {
    auto stored = channels->List();
    if (!stored) return false;  // the call itself will say what is wrong with the store
    for (const auto& c : *stored) {
      if (c.scope.payee == r.recipient && c.scope.token == r.currency && c.scope.escrow == r.Escrow() &&
          c.scope.chain_id == verdict.session->chain_id && c.status == ChannelStatus::kOpen)
        return true;
    }
  }
  std::lock_guard lock(slots_mutex_);
  for (const auto& [scope, slot] : slots_) {
    const auto& [payer, payee, token, escrow, chain] = scope;
    if (payee == r.recipient && token == r.currency && escrow == r.Escrow() &&
        chain == verdict.session->chain_id && slot->open)
      return true;
  }
  return false;
}

std::shared_ptr<SessionIntent::Slot> SessionIntent::SlotFor(const Scope& scope) {
  std::lock_guard lock(slots_mutex_);
  auto& slot = slots_[scope];
  if (!slot) slot = std::make_shared<Slot>();
  return slot;
}

std::optional<OpenChannel> SessionIntent::FindChannel(const crypto::Address& payer,
                                                      const crypto::Address& payee,
                                                      const crypto::Address& token,
                                                      const crypto::Address& escrow, std::uint64_t chain_id) {
  std::shared_ptr<Slot> slot = SlotFor({payer, payee, token, escrow, chain_id});
  std::lock_guard hold(slot->busy);
  return slot->channel;
}

Result<std::unique_ptr<PreparedPayment>> SessionIntent::Prepare(const ChallengeVerdict& verdict,
                                                                const net::HttpRequest& request,
                                                                IntentContext& context) {
  if (!verdict.session)
    return MakeError(ErrorKind::kUnexpected, "session intent: the verdict has no session terms");
  const SessionTerms& terms = *verdict.session;
  const SessionRequest& r = terms.request;
  const Challenge& challenge = verdict.challenge;
  auto key = context.keys();
  if (!key) return key.error();
  const crypto::Address payer = crypto::Address::FromPublicKey(key->GetPublicKey());
  const crypto::Address escrow = r.Escrow();
  const std::uint64_t chain = terms.chain_id;
  msg::Verbose("paying from " + payer.ToChecksumHex());

  // Waits here while another call of this process pays on the same channel.
  auto p = std::make_unique<PreparedSession>(challenge, terms,
                                             SlotFor({payer, r.recipient, r.currency, escrow, chain}));
  if (context.channels != nullptr) {
    // The store is the authority: another process may have paid on this channel since.
    const ChannelScope scope{payer, r.recipient, r.currency, escrow, chain};
    auto held = context.channels->Lock(scope);
    if (!held) return held.error();
    auto loaded = context.channels->Load(scope);
    if (!loaded) return loaded.error();
    StoredChannel stored = loaded->value_or(StoredChannel{});
    std::optional<OpenChannel> known;
    if (*loaded) {
      const ChannelStatus was = stored.status;
      const bool had_pending = stored.pending.has_value();
      auto resumed = ResumeStored(stored, context.rpc, context.settings.now());
      if (!resumed) return resumed.error();
      known = *resumed;
      if (stored.status != was || stored.pending.has_value() != had_pending) {
        if (auto kept = context.channels->Save(stored); !kept) return kept.error();
      }
    }
    stored.scope = scope;
    p->UseStore(*context.channels, std::move(*held), std::move(stored));
    p->SetKnown(known);
  }
  PaymentRecord& record = p->record;
  record.url = request.url;
  record.realm = challenge.realm;
  record.challenge_id = challenge.id;
  record.amount = r.amount;
  record.currency = r.currency;
  record.recipient = r.recipient;
  record.chain_id = chain;
  record.payer = payer;

  if (const std::optional<OpenChannel>& known = p->Known()) {
    p->call_start_ = known->cumulative;
    OpenChannel next = *known;
    next.cumulative = U256::SaturatingAdd(known->cumulative, r.amount);
    p->top_up_first = next.cumulative > known->deposit;
    record.mode = "session voucher";
    record.channel =
        ChannelPart{next.channel_id, next.escrow, next.descriptor, next.deposit, next.cumulative};
    p->channel = next;
    p->payload = VoucherPayload(next.descriptor, next.channel_id, next.cumulative,
                                tempo::SignVoucher(*key, chain, escrow, next.channel_id, next.cumulative));
    p->key = std::move(*key);
    return std::unique_ptr<PreparedPayment>(std::move(p));
  }

  // A new channel. Fees are money: one unit plus the most the open can burn must fit every limit, and
  // the payer must hold both, before anything is signed; the deposit is what the balance allows.
  tempo::EscrowTxSettings settings = EscrowSettingsFor(terms, context.settings.now());
  tempo::OpenTerms open_terms{escrow,     r.recipient,   r.operator_address.value_or(crypto::Address{}),
                              r.currency, terms.deposit, tempo::RandomSalt()};
  auto draft = tempo::SignOpenTransaction(open_terms, settings, *key);
  if (!draft) return draft.error();
  auto quote = QuoteFees(context.rpc, chain, payer, r.currency, draft->transaction.tx, !r.fee_payer);
  if (!quote) return quote.error();
  const CostContext cost{r.amount, r.currency, chain, payer,
                         context.rpc != nullptr ? context.rpc->url() : std::string("(none)")};
  if (auto affordable = CheckCost(*quote, cost, context.settings.policy); !affordable)
    return affordable.error();
  if (quote->balance) {
    // CheckCost saw the balance cover one unit and the fee, so this stays at least one unit.
    const U256 spare = U256::CheckedSub(*quote->balance, quote->max_fee).value_or(U256());
    if (spare < open_terms.deposit) {
      msg::Verbose("the deposit is lowered to " + tempo::TokenAmountText(spare, r.currency, chain) +
                   ", what the balance holds beyond the fee");
      open_terms.deposit = spare;
    }
  }
  UseQuotedGas(settings, *quote);
  open_terms.salt = tempo::RandomSalt();
  auto open = tempo::SignOpenTransaction(open_terms, settings, *key);
  if (!open) return open.error();

  p->opening = true;
  p->fees_ = quote->max_fee;
  p->channel = OpenChannel{open->descriptor, open->channel_id, escrow, chain, open_terms.deposit, r.amount};
  p->payload =
      OpenPayload(*open, r.amount, tempo::SignVoucher(*key, chain, escrow, open->channel_id, r.amount));
  record.mode = "session open";
  record.channel = ChannelPart{open->channel_id, escrow, open->descriptor, open_terms.deposit, r.amount};
  record.fee = quote->max_fee;
  record.valid_before = settings.valid_before;
  record.block = quote->block;
  if (open->transaction.tx_hash) {
    record.tx_hash = ToHex(ByteView(open->transaction.tx_hash->data(), open->transaction.tx_hash->size()));
  }
  msg::Verbose("opening channel " + ChannelText(open->channel_id) + " with a deposit of " +
               tempo::TokenAmountText(open_terms.deposit, r.currency, chain));
  p->key = std::move(*key);
  return std::unique_ptr<PreparedPayment>(std::move(p));
}

}  // namespace mpp::protocol
