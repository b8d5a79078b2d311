#include "mpp/session_intent.h"

#include "mpp/charge_transaction.h"
#include "mpp/credential.h"
#include "mpp/fee_quote.h"
#include "mpp/session_credential.h"
#include "mpp/session_receipt.h"
#include "tempo/chains.h"
#include "tempo/escrow_transaction.h"
#include "tempo/proof.h"
#include "tempo/voucher.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/message.h"

namespace mpp::protocol {
namespace {

std::string ChannelText(const Hash32& channel_id) {
  return ToHex(ByteView(channel_id.data(), channel_id.size()));
}

class PreparedSession final : public PreparedPayment {
 public:
  PreparedSession(Challenge challenge, SessionTerms terms, std::shared_ptr<SessionIntent::Slot> slot)
      : challenge_(std::move(challenge)),
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
  Status BeforeSend(IntentContext&, PaymentLedger&) override {
    if (!opening && slot_->channel) slot_->channel->cumulative = channel.cumulative;
    return {};
  }

  std::string StakeText() const override {
    const std::uint64_t chain = terms_.chain_id;
    std::string text = FormatTokenAmount(record.amount) + " (token " + record.currency.ToChecksumHex() + ")" +
                       (record.fee.IsZero() ? "" : " + network fee up to " + FormatTokenAmount(record.fee));
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

  void RecordSettlement(PaymentLedger& ledger, const Receipt* trusted, std::string_view note) override {
    if (opening) slot_->channel = channel;
    if (!note.empty()) {
      ledger.RecordSettledWithNote(payment_id, record.tx_hash, trusted != nullptr, std::nullopt, note);
    } else if (trusted != nullptr) {
      ledger.RecordSettled(payment_id, record.tx_hash);
    } else {
      ledger.RecordSettledWithoutReceipt(payment_id, record.tx_hash);
    }
  }

  PaymentSummary Summarize(const std::optional<Receipt>& trusted) const override {
    PaymentSummary summary;
    summary.mode = record.mode;
    summary.amount = record.amount;
    summary.currency = record.currency;
    summary.recipient = record.recipient;
    summary.chain_id = record.chain_id;
    summary.tx_hash = record.tx_hash;
    summary.challenge_id = record.challenge_id;
    summary.receipt = trusted;
    summary.fee = record.fee;
    summary.payment_id = payment_id;
    summary.fee_by_service = opening && terms_.request.fee_payer;
    return summary;
  }

  // The channel this process has open in this payment's scope; read while this payment holds it.
  const std::optional<OpenChannel>& Known() const { return slot_->channel; }

  // Filled by SessionIntent::Prepare, like `record`.
  SessionPayload payload;
  bool opening = false;
  OpenChannel channel;  // the channel as it is once this payment is sent (cumulative included)

 private:
  Challenge challenge_;
  SessionTerms terms_;
  std::shared_ptr<SessionIntent::Slot> slot_;
  std::unique_lock<std::mutex> hold_;  // one call at a time on a channel
};

Error RefuseTopUp(const OpenChannel& c, const U256& needed, const crypto::Address& token) {
  return MakeError(ErrorKind::kPaymentRefusedLocally,
                   "channel " + ChannelText(c.channel_id) + " holds " +
                       tempo::TokenAmountText(c.deposit, token, c.chain_id) + " and " +
                       tempo::TokenAmountText(c.cumulative, token, c.chain_id) +
                       " of it is signed away; this call needs " +
                       tempo::TokenAmountText(needed, token, c.chain_id) +
                       " in all, and mpp does not top channels up yet; nothing was signed");
}

}  // namespace

void SessionIntent::Judge(ChallengeVerdict& verdict, const PayPolicy& policy) const {
  SessionJudgement judged = JudgeSessionChallenge(verdict.challenge, policy);
  verdict.session = std::move(judged.terms);
  verdict.acceptable = judged.acceptable;
  verdict.reason = std::move(judged.reason);
  if (verdict.acceptable) {
    verdict.amount = verdict.session->request.amount;
    verdict.currency = verdict.session->request.currency;
  }
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
    OpenChannel next = *known;
    next.cumulative = U256::SaturatingAdd(known->cumulative, r.amount);
    if (next.cumulative > known->deposit) return RefuseTopUp(*known, next.cumulative, r.currency);
    record.mode = "session voucher";
    p->channel = next;
    p->payload = VoucherPayload(next.descriptor, next.channel_id, next.cumulative,
                                tempo::SignVoucher(*key, chain, escrow, next.channel_id, next.cumulative));
    return std::unique_ptr<PreparedPayment>(std::move(p));
  }

  // A new channel. Fees are money: one unit plus the most the open can burn must fit every limit, and
  // the payer must hold both, before anything is signed; the deposit is what the balance allows.
  tempo::EscrowTxSettings settings;
  settings.chain_id = chain;
  settings.sponsored = r.fee_payer;
  if (r.fee_token) settings.fee_token = *r.fee_token;
  const FeeValues defaults;
  settings.gas_limit = defaults.gas_limit;
  settings.max_fee_per_gas = defaults.max_fee_per_gas;
  settings.max_priority_fee_per_gas = defaults.max_priority_fee_per_gas;
  tempo::SetExpiringWindow(settings, context.settings.now());
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
  settings.gas_limit = quote->values.gas_limit;
  settings.max_fee_per_gas = quote->values.max_fee_per_gas;
  settings.max_priority_fee_per_gas = quote->values.max_priority_fee_per_gas;
  open_terms.salt = tempo::RandomSalt();
  auto open = tempo::SignOpenTransaction(open_terms, settings, *key);
  if (!open) return open.error();

  p->opening = true;
  p->channel = OpenChannel{open->descriptor, open->channel_id, escrow, chain, open_terms.deposit, r.amount};
  p->payload =
      OpenPayload(*open, r.amount, tempo::SignVoucher(*key, chain, escrow, open->channel_id, r.amount));
  record.mode = "session open";
  record.fee = quote->max_fee;
  record.valid_before = settings.valid_before;
  record.block = quote->block;
  if (open->transaction.tx_hash) {
    record.tx_hash = ToHex(ByteView(open->transaction.tx_hash->data(), open->transaction.tx_hash->size()));
  }
  msg::Verbose("opening channel " + ChannelText(open->channel_id) + " with a deposit of " +
               tempo::TokenAmountText(open_terms.deposit, r.currency, chain));
  return std::unique_ptr<PreparedPayment>(std::move(p));
}

}  // namespace mpp::protocol
