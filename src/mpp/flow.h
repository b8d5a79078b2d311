// The pay flow: perform a request; on 402 choose a challenge, check it against the user's limits,
// journal, pay and retry exactly once. Generic over URL, method, headers and body, and over the
// payment intent (mpp/intent.h): what a credential carries is the intent's business.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mpp/intent.h"
#include "mpp/ledger.h"
#include "mpp/probe_retry.h"
#include "mpp/receipt.h"
#include "mpp/selection.h"
#include "mpp/service_error.h"
#include "net/http.h"
#include "tempo/rpc.h"
#include "util/error.h"

namespace mpp::protocol {

struct FlowResult {
  net::HttpResponse response;             // the final answer (2xx when paid)
  std::optional<PaymentSummary> payment;  // set when a credential was sent and accepted
};

class PayFlow {
 public:
  // `http` carries the probe and the paid retry; `rpc` (may be null) estimates fees and broadcasts
  // push payments; `ledger` records every payment before its credential leaves.
  // `side` (may be null) is a second connection for what a payment sends while its answer streams;
  // `channels` (may be null) keeps payment channels between processes.
  PayFlow(net::HttpTransport& http, tempo::RpcClient* rpc, PaymentLedger& ledger, KeySource keys,
          FlowSettings settings, net::HttpTransport* side = nullptr, ChannelBook* channels = nullptr);

  // Sends `request` (the unpaid probe as SendProbe does); pays at most once. When the ledger already has a
  // payment for the challenge the server sent (parallel calls can get one id), asks again for a fresh
  // challenge, up to 4 times. A 2xx body goes to `sink` when one is given. Errors: kPaymentRefusedLocally
  // (nothing signed or sent), kPaymentRefusedByServer (credential sent and either refused: a 402 or a payment
  // problem, journaled `refused`; or taken without delivery: any other error answer, journaled `undelivered`
  // with the status, the service's error and paymentId; never retried), kNetwork (before paying, or after
  // with the outcome unknown), kWallet, kInterrupted.
  Result<FlowResult> Perform(const net::HttpRequest& request, const net::BodySink* sink);

  // Sends `request` without paying, for quotes: again after a 429, a 5xx or a failed connection, as
  // often as SetProbeRetry allows. The 402 (or the last) response comes back as is.
  Result<net::HttpResponse> Probe(const net::HttpRequest& request);

  // How the unpaid probe is retried (default: ProbeRetry's).
  void SetProbeRetry(ProbeRetry retry);
  // Called with the chosen challenge, already checked against the caps and the origin, before
  // anything is signed or journaled (the --confirm question); an error stops the call with it.
  using BeforePaying = std::function<Status(const ChallengeVerdict& chosen)>;
  void SetBeforePaying(BeforePaying hook) { before_paying_ = std::move(hook); }

  // Hands an event of the paid answer's stream that is not a chat chunk to the payment in flight
  // (PreparedPayment::OnAnswerEvent); call it from the body sink given to Perform, on its thread. Ok
  // when no payment is in flight. An error means: stop reading the answer (return false from the sink).
  Status AnswerEvent(std::string_view type, std::string_view data);

 private:
  // A prepared payment on its way: journaled, with its credential built.
  struct Pending {
    std::unique_ptr<PreparedPayment> payment;
    std::string header_name;
    SecretString credential;
  };
  struct Evaluation {
    std::vector<ChallengeVerdict> verdicts;
    std::vector<RejectedChallenge> rejected;
  };
  // The unpaid request, sent again (with backoff, honouring Retry-After within max_retry_wait_ms)
  // after a 429, a 5xx or a connection that could not be made, up to retry_.retries times. Errors:
  // kNetwork (could not reach the server), kInterrupted (also during a pause).
  Result<net::HttpResponse> SendProbe(const net::HttpRequest& request, const net::BodySink* sink);
  // The challenges of a 402 with their verdicts under the policy; -v names the unparseable ones.
  Evaluation Evaluate(const net::HttpResponse& probe) const;
  // With -v, one line per challenge: chosen, or why not (ExplainChoices).
  void LogChoices(const std::vector<ChallengeVerdict>& verdicts, const ChallengeVerdict* chosen) const;
  // Has the intent prepare the payment, journals it, builds (and with --dump-credential writes) the
  // credential, and lets the intent do what must precede sending it.
  Result<Pending> Prepare(const ChallengeVerdict& verdict, const net::HttpRequest& request);
  Result<FlowResult> SendPaid(const net::HttpRequest& request, const net::BodySink* sink, Pending& pending);
  // The Payment-Receipt of `response` when it proves `payment` (PreparedPayment::ReceiptMismatch);
  // nullopt when there is none or it is not trusted. An unreadable or contradicting receipt is
  // reported on stderr and `note` (for the journal) says why; its reference is never taken.
  static std::optional<Receipt> TrustedReceipt(const net::HttpResponse& response,
                                               const PreparedPayment& payment, std::string& note);
  // Journals and words a payment the service took without delivering (an error answer after it). Its
  // receipt, if any, is checked as a 2xx's is (TrustedReceipt).
  Error Undelivered(const net::HttpResponse& response, const ServiceErrorBody& said,
                    const PreparedPayment& payment);

  net::HttpTransport& http_;
  tempo::RpcClient* rpc_;
  PaymentLedger& ledger_;
  KeySource keys_;
  FlowSettings settings_;
  net::HttpTransport* side_;
  ChannelBook* channels_;
  ProbeRetry retry_;
  BeforePaying before_paying_;
  PreparedPayment* in_flight_ = nullptr;  // while SendPaid waits for the answer
  std::optional<Error> stopped_;          // why the payment in flight stopped paying (AnswerEvent)
};

}  // namespace mpp::protocol
