#include "mpp/charge_intent.h"

#include "mpp/charge_credential.h"
#include "mpp/charge_transaction.h"
#include "mpp/credential.h"
#include "mpp/fee_quote.h"
#include "tempo/chains.h"
#include "tempo/proof.h"
#include "tempo/tip20.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/message.h"

namespace mpp::protocol {
namespace {

// "0.001 pathUSD + network fee up to 0.0021 pathUSD (gas limit ... at ...)" for -v.
std::string CostText(const FeeQuote& quote, const ChargeRequest& charge) {
  std::string text = tempo::TokenAmountText(charge.amount, charge.currency, charge.chain_id);
  if (!quote.self_paid) return text + ", network fee paid by the server";
  return text + " + network fee up to " +
         tempo::TokenAmountText(quote.max_fee, charge.currency, charge.chain_id) + " (" +
         GasValuesText(quote) + ")";
}

class PreparedCharge final : public PreparedPayment {
 public:
  PreparedCharge(Challenge challenge, ChargeTerms terms)
      : challenge_(std::move(challenge)), terms_(std::move(terms)) {}

  Result<SecretString> Credential() const override {
    auto credential =
        BuildChargeCredential(challenge_, payload, tempo::DidPkh(terms_.request.chain_id, record.payer));
    if (!credential) return credential.error();
    return SecretString(std::move(*credential));
  }

  Status BeforeSend(IntentContext& context, PaymentLedger& ledger) override {
    if (terms_.mode != PayMode::kPush) return {};
    if (context.rpc == nullptr) {
      ledger.RecordRefused(payment_id, "not broadcast: no RPC");
      return MakeError(ErrorKind::kNetwork,
                       "push payment needs an RPC endpoint (--rpc-url); nothing was paid");
    }
    msg::Verbose("broadcasting " + record.tx_hash + " via " + context.rpc->url());
    auto receipt = context.rpc->SendRawTransactionSync(signed_raw_hex);
    if (!receipt) {
      ledger.RecordUnknown(payment_id, "broadcast failed: " + receipt.error().message);
      return MakeError(
          receipt.error().kind == ErrorKind::kInterrupted ? ErrorKind::kInterrupted : ErrorKind::kNetwork,
          "broadcasting the payment failed (" + receipt.error().message + "); tx " + record.tx_hash +
              " may or may not be on chain; 'mpp wallet history' marks it unknown");
    }
    fee_paid_ = receipt->fee_paid;
    if (!receipt->success) {
      ledger.RecordRefused(payment_id, "transaction reverted on chain");
      return MakeError(ErrorKind::kNetwork, "the payment transaction " + record.tx_hash +
                                                " reverted on chain; no funds moved (check your balance)");
    }
    return {};
  }

  std::string StakeText() const override {
    return FormatTokenAmount(record.amount) + " (token " + record.currency.ToChecksumHex() + ")" +
           (record.fee.IsZero() ? "" : " + network fee up to " + FormatTokenAmount(record.fee));
  }

  // CheckReceipt: status success, method tempo and, for a transaction mpp signed with its own fees or
  // pushed, that transaction's hash as the reference. A sponsor re-signs, so its final hash is not
  // known before the receipt; a proof has none.
  std::optional<std::string> ReceiptMismatch(const Receipt& receipt, std::string_view) const override {
    ReceiptExpectation expected;
    if (terms_.mode == PayMode::kPull || terms_.mode == PayMode::kPush) expected.reference = record.tx_hash;
    return CheckReceipt(receipt, expected);
  }

  std::string Reference(const Receipt* trusted) const override {
    if (trusted != nullptr && !trusted->reference.empty()) return trusted->reference;
    return record.tx_hash;
  }

  void RecordSettlement(PaymentLedger& ledger, const Receipt* trusted, std::string_view note) override {
    const bool proof = terms_.mode == PayMode::kProof;
    if (!note.empty()) {
      // The same choice of reference as below, with the note and the fee the chain reported kept.
      const bool from_receipt = trusted != nullptr || proof;
      ledger.RecordSettledWithNote(payment_id,
                                   trusted        ? trusted->reference
                                   : from_receipt ? ""
                                                  : record.tx_hash,
                                   from_receipt, fee_paid_, note);
    } else if (trusted != nullptr && fee_paid_) {
      ledger.RecordSettledWithFee(payment_id, trusted->reference, *fee_paid_);
    } else if (trusted != nullptr) {
      ledger.RecordSettled(payment_id, trusted->reference);
    } else if (proof) {
      ledger.RecordSettled(payment_id, "");  // a proof moves nothing: there is no hash to know
    } else {
      // Self-paid: the hash of the transaction mpp signed. Sponsored: unknown (the sponsor re-signs).
      ledger.RecordSettledWithoutReceipt(payment_id, record.tx_hash);
    }
  }

  PaymentSummary Summarize(const std::optional<Receipt>& trusted) const override {
    PaymentSummary summary = RecordSummary(trusted);
    summary.fee_paid = fee_paid_;
    summary.moved_funds = terms_.mode != PayMode::kProof;
    summary.fee_by_service = terms_.mode == PayMode::kPullSponsored;
    if (trusted && summary.tx_hash.empty() && terms_.mode != PayMode::kProof)
      summary.tx_hash = trusted->reference;
    return summary;
  }

  // Filled by ChargeIntent::Prepare, like `record`.
  ChargePayload payload;
  std::string signed_raw_hex;  // a self-paid transaction; a push payment's is broadcast in BeforeSend

 private:
  Challenge challenge_;
  ChargeTerms terms_;
  std::optional<U256> fee_paid_;  // from the chain's receipt of a pushed transaction
};

}  // namespace

void ChargeIntent::Judge(ChallengeVerdict& verdict, const PayPolicy& policy) const {
  ApplyJudgement(verdict, &ChallengeVerdict::charge, JudgeChargeChallenge(verdict.challenge, policy));
}

Result<std::unique_ptr<PreparedPayment>> ChargeIntent::Prepare(const ChallengeVerdict& verdict,
                                                               const net::HttpRequest& request,
                                                               IntentContext& context) {
  const Challenge& challenge = verdict.challenge;
  if (!verdict.charge)
    return MakeError(ErrorKind::kUnexpected, "charge intent: the verdict has no charge terms");
  const ChargeTerms& terms = *verdict.charge;
  const ChargeRequest& charge = terms.request;
  auto key = context.keys();
  if (!key) return key.error();
  crypto::Address payer = crypto::Address::FromPublicKey(key->GetPublicKey());
  msg::Verbose("paying from " + payer.ToChecksumHex());

  auto p = std::make_unique<PreparedCharge>(challenge, terms);
  PaymentRecord& record = p->record;
  record.url = request.url;
  record.realm = challenge.realm;
  record.challenge_id = challenge.id;
  record.amount = charge.amount;
  record.currency = charge.currency;
  record.recipient = charge.recipient;
  record.chain_id = charge.chain_id;
  record.payer = payer;
  record.mode = std::string(PayModeName(terms.mode));

  if (terms.mode == PayMode::kProof) {
    p->payload.type = ChargePayload::Type::kProof;
    p->payload.hex = ToHex(tempo::SignProof(*key, charge.chain_id, challenge.id, challenge.realm));
    return std::unique_ptr<PreparedPayment>(std::move(p));
  }
  const std::int64_t now = context.settings.now();
  // Fees are money: the charge plus the most the transaction can burn must fit every limit, and the
  // payer must hold both, before anything is signed.
  const bool self_paid = terms.mode != PayMode::kPullSponsored;
  auto quote = QuoteFees(context.rpc, charge.chain_id, payer, charge.currency,
                         BuildChargeTransaction(challenge, charge, {}, now), self_paid);
  if (!quote) return quote.error();
  const CostContext cost{charge.amount, charge.currency, charge.chain_id, payer,
                         context.rpc != nullptr ? context.rpc->url() : std::string("(none)")};
  if (auto affordable = CheckCost(*quote, cost, context.settings.policy); !affordable)
    return affordable.error();
  msg::Verbose("cost: " + CostText(*quote, charge) +
               (quote->balance ? "; balance " + FormatTokenAmount(*quote->balance) : ""));
  tempo::TempoTransaction tx = BuildChargeTransaction(challenge, charge, quote->values, now);
  record.fee = quote->max_fee;
  record.valid_before = tx.valid_before.value_or(0);
  record.block = quote->block;
  record.memo = ToHex(ChargeMemo(challenge, charge));
  tempo::SignAsSender(tx, *key);
  if (terms.mode == PayMode::kPullSponsored) {
    p->payload.hex = ToHex(tempo::FeePayerEnvelope0x78(tx, payer));
    // The final hash depends on the fee token and signature the sponsor adds; the receipt has it.
    return std::unique_ptr<PreparedPayment>(std::move(p));
  }
  Bytes raw = tempo::SignedRaw(tx);
  record.tx_hash = ToHex(tempo::TxHash(raw));
  p->signed_raw_hex = ToHex(raw);
  if (terms.mode == PayMode::kPush) {
    p->payload.type = ChargePayload::Type::kHash;
    p->payload.hex = record.tx_hash;
  } else {
    p->payload.hex = p->signed_raw_hex;
  }
  return std::unique_ptr<PreparedPayment>(std::move(p));
}

}  // namespace mpp::protocol
