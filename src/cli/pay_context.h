// The collaborators a paying command needs, built from its resolved settings: the HTTP transport,
// the RPC client, the journal-backed ledger, the key source, and the flow over them.
#pragma once

#include <memory>

#include "cli/payment_options.h"
#include "mpp/flow.h"
#include "net/curl_transport.h"
#include "tempo/rpc.h"
#include "wallet/journal.h"

namespace mpp::cli {

class PayContext {
 public:
  // Opens the journal (creating the data directory) but does not touch keys: those are read only
  // when a payment is about to be signed.
  static Result<std::unique_ptr<PayContext>> Open(const PaymentSettings& settings);
  // As Open, with signing keys from `keys` instead (batch workers share one caching source).
  static Result<std::unique_ptr<PayContext>> Open(const PaymentSettings& settings, protocol::KeySource keys);

  protocol::PayFlow& flow() { return *flow_; }

  // Before a paid call: asks the chain, within a few hundred milliseconds, about the last day's
  // payments whose outcome is unknown (or refused) and journals what it says, so a payment that never
  // landed stops counting against the daily budget. Never fails: -v says what it found or why not.
  void ReconcileEarlierPayments();

  // Journals that the answer `payment` bought could not be written (`why`) and returns the error for
  // the user (kUnexpected, exit 1), which says that the payment stands.
  Error AnswerLost(const protocol::PaymentSummary& payment, const std::string& why);

 private:
  PayContext() = default;
  std::unique_ptr<net::CurlTransport> http_;
  std::unique_ptr<net::CurlTransport> rpc_http_;
  std::unique_ptr<tempo::RpcClient> rpc_;
  std::unique_ptr<wallet::Journal> ledger_;
  PaymentSettings settings_;
  std::unique_ptr<protocol::PayFlow> flow_;
};

// The key source Open uses: each call resolves the wallet's key (--wallet, MPP_WALLET, MPP_PRIVATE_KEY,
// the default wallet), reading --password-file or prompting on a terminal.
Result<protocol::KeySource> WalletKeySource(const PaymentSettings& settings);

// "mpp/<version>"
std::string UserAgent();

// One short line for stderr after a paid call: amount and token, the network fee (the most it could be,
// or what it was), and the tx hash.
std::string PaymentSummaryLine(const protocol::PaymentSummary& payment);

}  // namespace mpp::cli
