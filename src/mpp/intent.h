// The seam between the pay flow and a payment intent (charge today; session next). The flow probes,
// chooses a challenge, journals, sends the credential once and reads the receipt; an intent prepares
// what the credential carries and says how its payment is accounted for. Adding an intent means a new
// Intent and PreparedPayment beside charge's (mpp/charge_intent.h), its part in ChallengeVerdict, and
// a line in FindIntent (mpp/intents.cpp); neither the flow nor charge's files change.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/secp256k1.h"
#include "mpp/channel_book.h"
#include "mpp/ledger.h"
#include "mpp/receipt.h"
#include "mpp/selection.h"
#include "net/http.h"
#include "tempo/rpc.h"
#include "util/error.h"
#include "util/secret.h"

namespace mpp::protocol {

// Supplies the payer's key only when a payment is about to be signed (so `quote` and free calls
// never ask for a password). Errors are kWallet.
using KeySource = std::function<Result<crypto::PrivateKey>()>;

struct FlowSettings {
  PayPolicy policy;
  std::string dump_credential_path;  // empty: don't
  // Current UNIX time; tests pin it.
  std::function<std::int64_t()> now;
};

// What was paid, for the summary line and the caller's report.
struct PaymentSummary {
  std::string mode;  // how it was paid, as the journal names it
  U256 amount;
  crypto::Address currency;
  crypto::Address recipient;
  std::uint64_t chain_id = 0;
  std::string tx_hash;  // empty for proofs
  std::string challenge_id;
  std::optional<Receipt> receipt;
  U256 fee;                            // the most the transaction could cost in fees; 0 when sponsored
  std::optional<U256> fee_paid;        // what it did cost, when the chain said (push payments)
  std::string payment_id;              // the journal's id for this payment
  bool moved_funds = true;             // false for what moves nothing (a zero-amount proof of identity)
  bool fee_by_service = false;         // the service's fee payer paid the network fee
  std::optional<ChannelPart> channel;  // a session's channel as the call left it
};

// What an intent may use while preparing a payment.
struct IntentContext {
  tempo::RpcClient* rpc;  // may be null: no fee estimates, no broadcasts
  const KeySource& keys;
  const FlowSettings& settings;
  // A second connection to the service, for what a payment sends while its answer is still arriving
  // (a session's vouchers and top-ups during a metered stream); may be null.
  net::HttpTransport* side = nullptr;
  // Where payment channels outlive the process (mpp/channel_book.h); null: they live as long as it.
  ChannelBook* channels = nullptr;
};

// One payment an intent prepared: its journal record and what its credential will carry. The flow
// journals `record` (PaymentLedger::RecordSigned) and stores the id in `payment_id` before it asks for
// the credential; the accounting methods say what became of the payment once the answer is in.
class PreparedPayment {
 public:
  virtual ~PreparedPayment() = default;

  PaymentRecord record;    // filled by Intent::Prepare
  std::string payment_id;  // set by the flow once the journal has `record`

  // The credential header value for the journaled payment. An error means it is not sent (the flow
  // journals it refused). A bearer secret: never log it.
  virtual Result<SecretString> Credential() const = 0;
  // What must happen after the credential is built (and dumped) and before it is sent; it journals
  // its own failures (a push payment broadcasts here). Errors mean nothing is sent.
  virtual Status BeforeSend(IntentContext& context, PaymentLedger& ledger) = 0;
  // "0.001 (token 0x...) + network fee up to 0.002": what is at stake, for messages.
  virtual std::string StakeText() const = 0;
  // Why the Payment-Receipt `receipt` (parsed from `header_value`) does not prove this payment, or
  // nullopt when it does.
  virtual std::optional<std::string> ReceiptMismatch(const Receipt& receipt,
                                                     std::string_view header_value) const = 0;
  // The on-chain reference to report for this payment: the trusted receipt's, else the one mpp knows
  // (a self-paid transaction's hash), else empty.
  virtual std::string Reference(const Receipt* trusted) const = 0;
  // Journals the payment settled: `trusted` is its checked receipt or null; `note` a remark to keep
  // (an answer cut off, a receipt not trusted), often empty.
  virtual void RecordSettlement(PaymentLedger& ledger, const Receipt* trusted, std::string_view note) = 0;
  // The caller's report of the settled payment.
  virtual PaymentSummary Summarize(const std::optional<Receipt>& trusted) const = 0;
  // Whether the answer's event stream carried a receipt that passed its check (a session's final
  // payment-receipt event), so that a 2xx without a Payment-Receipt header is not a warning.
  virtual bool ReceiptInStream() const { return false; }
  // The server refused the credential with `status` (a 402, or a payment problem such as a session's
  // 410 "channel gone"); the flow journals the refusal after this. The default does nothing.
  virtual void OnRefused(long /*status*/, IntentContext& /*context*/) {}
  // An event of the paid answer's event stream that is not a chat chunk (a session's
  // payment-need-voucher or payment-receipt), as it arrives. An error stops paying: the caller ends
  // the answer there. The default ignores events.
  virtual Status OnAnswerEvent(std::string_view /*type*/, std::string_view /*data*/,
                               IntentContext& /*context*/, PaymentLedger& /*ledger*/) {
    return {};
  }

 protected:
  // The summary's fields every intent fills alike, from `record`, `payment_id` and `trusted`.
  PaymentSummary RecordSummary(const std::optional<Receipt>& trusted) const {
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
    return summary;
  }
};

// Puts an intent's judgement into `verdict`: the terms into the intent's part (`part`), whether it is
// acceptable and why, and, when it is, the neutral price (the terms' request amount and currency).
template <class Terms>
void ApplyJudgement(ChallengeVerdict& verdict, std::optional<Terms> ChallengeVerdict::*part,
                    Judgement<Terms> judged) {
  verdict.*part = std::move(judged.terms);
  verdict.acceptable = judged.acceptable;
  verdict.reason = std::move(judged.reason);
  if (verdict.acceptable) {
    verdict.amount = (verdict.*part)->request.amount;
    verdict.currency = (verdict.*part)->request.currency;
  }
}

class Intent {
 public:
  virtual ~Intent() = default;
  // The challenge intent this implements ("charge").
  virtual std::string_view Name() const = 0;
  // Judges a challenge of this intent that passed the checks every intent shares (method, expiry,
  // size): fills the verdict's intent part, `acceptable`, `reason` and, when acceptable, `amount` and
  // `currency`. Pure.
  virtual void Judge(ChallengeVerdict& verdict, const PayPolicy& policy) const = 0;
  // Whether mpp already holds what paying this acceptable verdict would use (a session: a channel
  // open to its payee, in its token, on its escrow and chain), so that it locks nothing new. The
  // default: nothing is held.
  // `channels` (may be null) is the store of channels other processes opened.
  virtual bool HasStanding(const ChallengeVerdict& /*verdict*/, const ChannelBook* /*channels*/) const {
    return false;
  }
  // Signs what the chosen, acceptable challenge asks (asking `context.keys` for the key), checking
  // fees, funds and limits first. Nothing is journaled or sent yet. Errors: kPaymentRefusedLocally,
  // kWallet, kNetwork, kInterrupted.
  virtual Result<std::unique_ptr<PreparedPayment>> Prepare(const ChallengeVerdict& verdict,
                                                           const net::HttpRequest& request,
                                                           IntentContext& context) = 0;
};

}  // namespace mpp::protocol
