// Where the pay flow records payments. The flow depends on this interface; the wallet's journal
// implements it (mpp must not include wallet/), and tests can supply their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "tempo/channel.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

// The session part of a payment record: the channel it opens or pays on, with everything a later
// voucher, top-up, close or recovery needs (the descriptor is on chain only in the open's log).
struct ChannelPart {
  Hash32 channel_id{};
  crypto::Address escrow;
  tempo::ChannelDescriptor descriptor;
  U256 deposit;     // what the channel holds once this payment is made
  U256 cumulative;  // the voucher this payment's credential carries
};

// What the journal keeps of every payment, whatever its intent: the fields up to `mode` describe any
// payment; the rest is the on-chain part an intent fills when its payment is (or starts with) a
// transaction.
struct PaymentRecord {
  std::string url;
  std::string realm;
  std::string challenge_id;
  U256 amount;  // base units
  crypto::Address currency;
  crypto::Address recipient;
  std::uint64_t chain_id = 0;
  crypto::Address payer;  // who signs
  std::string mode;       // how it is paid, as the journal and -v name it ("pull", "push", "proof", ...)
  std::string tx_hash;    // 0x-prefixed; empty for proofs and sponsored payments
  U256 fee;               // the most the transaction can cost in fees (0: sponsored, proof)
  std::uint64_t valid_before = 0;      // the transaction's validBefore (UNIX seconds); 0 for proofs
  std::optional<std::uint64_t> block;  // the chain head just before signing, when the RPC said
  std::string memo;                    // 0x-prefixed memo of the transfer to the recipient; empty for proofs
  std::optional<ChannelPart> channel;  // a session payment's channel
};

// A payment the service took without delivering what it was paid for: it answered an error after the
// payment settled (Locus 502 {"success":false,...,"paymentId"}, a Tempo proxy passing the upstream's
// 401/403/5xx through). Distinct from a refusal, where the server refused the payment itself.
struct UndeliveredOutcome {
  long status = 0;                 // the HTTP status of the answer
  std::string error;               // the service's error text, display-safe
  std::string service_payment_id;  // the service's own "paymentId", or empty
  std::string reference;  // the on-chain hash when known (a trusted receipt, or the self-paid tx), else empty
  std::string note = {};  // what was odd about it (a receipt that failed CheckReceipt); often empty
};

// More money committed by a payment after its credential left (a session's metered stream): a voucher
// raising the channel's cumulative, or a top-up adding to its deposit.
struct PaymentIncrement {
  enum class Kind { kVoucher, kTopUp };
  Kind kind = Kind::kVoucher;
  std::string channel_id;  // 0x + 64 hex
  U256 cumulative;         // voucher: the new cumulative amount signed
  U256 amount;             // voucher: what it adds to the cumulative (counts against budgets); top-up: 0
  U256 deposit;            // top-up: what it adds to the deposit (locked, not spent)
  U256 fee;                // top-up: the most its transaction can cost in fees (counts against budgets)
  std::string tx_hash;     // top-up: its self-paid transaction's hash, or empty
};

class PaymentLedger {
 public:
  virtual ~PaymentLedger() = default;
  // Checks budgets (counting amount + fee) and durably records (written and fsynced) that this payment is
  // about to leave, atomically with respect to other processes. Returns an id for the outcome records. An
  // error means the payment must not be sent: kPaymentRefusedLocally for a budget, kChallengeAlreadyPaid when
  // a payment for the same realm and challenge id is already recorded (a challenge is paid at most once, even
  // when a server hands one id to two parallel calls), others for I/O.
  virtual Result<std::string> RecordSigned(const PaymentRecord& record) = 0;
  // Outcome records; failures to write them are reported as warnings, never hidden.
  virtual void RecordSettled(const std::string& id, std::string_view receipt_reference) = 0;
  virtual void RecordRefused(const std::string& id, std::string_view problem) = 0;
  virtual void RecordUnknown(const std::string& id, std::string_view reason) = 0;
  // Settled without a Payment-Receipt: `tx_hash` is the self-paid transaction's hash, or empty when the
  // on-chain hash is unknown (a sponsor co-signs, so the final hash is not the one mpp signed). The
  // default records it like a receipt reference; the journal says which it is.
  virtual void RecordSettledWithoutReceipt(const std::string& id, std::string_view tx_hash) {
    RecordSettled(id, tx_hash);
  }
  // As RecordSettled, with the fee the chain's receipt reports (a pushed payment sees its receipt). The
  // default drops the fee; the journal records it.
  virtual void RecordSettledWithFee(const std::string& id, std::string_view receipt_reference,
                                    const U256& fee_paid) {
    (void)fee_paid;
    RecordSettled(id, receipt_reference);
  }
  // RecordSettled (`from_receipt`: `reference` is a trusted receipt's; with `fee_paid`,
  // RecordSettledWithFee) or RecordSettledWithoutReceipt (`reference` is the signed hash, or empty), with
  // a remark the journal keeps: an answer cut off at --max-response, a receipt that did not match the
  // payment. `fee_paid` is what the chain's receipt of a pushed transaction reported, when it did. The
  // default drops the remark.
  virtual void RecordSettledWithNote(const std::string& id, std::string_view reference, bool from_receipt,
                                     const std::optional<U256>& fee_paid, std::string_view note) {
    (void)note;
    if (from_receipt && fee_paid) {
      RecordSettledWithFee(id, reference, *fee_paid);
    } else if (from_receipt) {
      RecordSettled(id, reference);
    } else {
      RecordSettledWithoutReceipt(id, reference);
    }
  }
  // Paid but not delivered (see UndeliveredOutcome). The default records it as a refusal; the journal
  // gives it its own state.
  virtual void RecordUndelivered(const std::string& id, const UndeliveredOutcome& outcome) {
    RecordRefused(id, "undelivered: HTTP " + std::to_string(outcome.status) + ": " + outcome.error);
  }
  // Checks budgets (counting amount + fee) and durably records `increment` of payment `id` before the
  // voucher or top-up leaves the process. An error means it must not be sent. The default refuses: a
  // ledger that cannot keep increments must not let a stream commit more money.
  virtual Status RecordIncrement(const std::string& /*id*/, const PaymentIncrement& /*increment*/) {
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     "this journal cannot record vouchers signed during an answer; nothing more was signed");
  }
};

}  // namespace mpp::protocol
