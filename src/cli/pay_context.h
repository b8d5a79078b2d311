// The collaborators a paying command needs, built from its resolved settings: the HTTP transport,
// the RPC client, the journal-backed ledger, the key source, and the flow over them.
#pragma once

#include <memory>

#include "cli/payment_options.h"
#include "mpp/flow.h"
#include "net/curl_transport.h"
#include "tempo/rpc.h"

namespace mpp::cli {

class PayContext {
 public:
  // Opens the journal (creating the data directory) but does not touch keys: those are read only
  // when a payment is about to be signed.
  static Result<std::unique_ptr<PayContext>> Open(const PaymentSettings& settings);
  // As Open, with signing keys from `keys` instead (batch workers share one caching source).
  static Result<std::unique_ptr<PayContext>> Open(const PaymentSettings& settings, KeySource keys);

  PayFlow& flow() { return *flow_; }

 private:
  PayContext() = default;
  std::unique_ptr<net::CurlTransport> http_;
  std::unique_ptr<net::CurlTransport> rpc_http_;
  std::unique_ptr<tempo::RpcClient> rpc_;
  std::unique_ptr<PaymentLedger> ledger_;
  std::unique_ptr<PayFlow> flow_;
};

// The key source Open uses: each call resolves the wallet's key (--wallet, MPP_WALLET, MPP_PRIVATE_KEY,
// the default wallet), reading --password-file or prompting on a terminal.
Result<KeySource> WalletKeySource(const PaymentSettings& settings);

// "mpp/<version>"
std::string UserAgent();

// One short line for stderr after a paid call: amount, token, mode and tx hash.
std::string PaymentSummaryLine(const PaymentSummary& payment);

}  // namespace mpp::cli
