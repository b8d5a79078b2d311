// The pay flow: perform a request; on 402 choose a challenge, check it against the user's limits,
// journal, pay and retry exactly once. Generic over URL, method, headers and body.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/secp256k1.h"
#include "mpp/ledger.h"
#include "mpp/receipt.h"
#include "mpp/selection.h"
#include "mpp/service_error.h"
#include "net/http.h"
#include "tempo/rpc.h"
#include "util/error.h"

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
  PayMode mode = PayMode::kPull;
  U256 amount;
  crypto::Address currency;
  crypto::Address recipient;
  std::uint64_t chain_id = 0;
  std::string tx_hash;  // empty for proofs
  std::string challenge_id;
  std::optional<Receipt> receipt;
  U256 fee;                      // the most the transaction could cost in fees; 0 when sponsored
  std::optional<U256> fee_paid;  // what it did cost, when the chain said (push payments)
  std::string payment_id;        // the journal's id for this payment
};

struct FlowResult {
  net::HttpResponse response;             // the final answer (2xx when paid)
  std::optional<PaymentSummary> payment;  // set when a credential was sent and accepted
};

class PayFlow {
 public:
  // `http` carries the probe and the paid retry; `rpc` (may be null) estimates fees and broadcasts
  // push payments; `ledger` records every payment before its credential leaves.
  PayFlow(net::HttpTransport& http, tempo::RpcClient* rpc, PaymentLedger& ledger, KeySource keys,
          FlowSettings settings);

  // Sends `request`; pays at most once. When the ledger already has a payment for the challenge the
  // server sent (parallel calls can get one id), asks again for a fresh challenge, up to 4 times.
  // A 2xx body goes to `sink` when one is given. Errors:
  // kPaymentRefusedLocally (nothing signed or sent), kPaymentRefusedByServer (credential sent and
  // either refused: a 402 or a payment problem, journaled `refused`; or taken without delivery: any
  // other error answer, journaled `undelivered` with the status, the service's error and paymentId;
  // never retried), kNetwork (before paying, or after with the outcome unknown), kWallet,
  // kInterrupted.
  Result<FlowResult> Perform(const net::HttpRequest& request, const net::BodySink* sink);

  // Sends `request` once, never pays; for quotes. The 402 (or any) response comes back as is.
  Result<net::HttpResponse> Probe(const net::HttpRequest& request);

 private:
  struct Prepared;
  struct Evaluation {
    std::vector<ChallengeVerdict> verdicts;
    std::vector<RejectedChallenge> rejected;
  };
  // The challenges of a 402 with their verdicts under the policy; -v names the unparseable ones.
  Evaluation Evaluate(const net::HttpResponse& probe) const;
  // With -v, one line per challenge: chosen, or why not (ExplainChoices).
  void LogChoices(const std::vector<ChallengeVerdict>& verdicts, const ChallengeVerdict* chosen) const;
  Result<Prepared> Prepare(const ChallengeVerdict& verdict, const net::HttpRequest& request);
  Result<FlowResult> SendPaid(const net::HttpRequest& request, const net::BodySink* sink, Prepared& prepared);
  // Journals a settled payment: the receipt's reference, else the self-paid hash, else "unknown".
  void RecordSettlement(const Prepared& prepared, const Receipt* receipt, std::string_view note = {});
  // The Payment-Receipt of `response` when it proves the payment `record` describes (CheckReceipt);
  // nullopt when there is none or it is not trusted. An unreadable or contradicting receipt is
  // reported on stderr and `note` (for the journal) says why; its reference is never taken.
  static std::optional<Receipt> TrustedReceipt(const net::HttpResponse& response, const PaymentRecord& record,
                                               std::string& note);
  // Journals and words a payment the service took without delivering (an error answer after it). Its
  // receipt, if any, is checked as a 2xx's is (TrustedReceipt).
  Error Undelivered(const net::HttpResponse& response, const ServiceErrorBody& said,
                    const Prepared& prepared);

  net::HttpTransport& http_;
  tempo::RpcClient* rpc_;
  PaymentLedger& ledger_;
  KeySource keys_;
  FlowSettings settings_;
};

}  // namespace mpp::protocol
