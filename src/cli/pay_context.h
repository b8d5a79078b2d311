// The collaborators a paying command needs, built from its resolved settings: the HTTP transport,
// the RPC client, the journal-backed ledger, the key source, and the flow over them.
#pragma once

#include <memory>

#include "cli/batch_budget.h"
#include "cli/command_services.h"
#include "cli/payment_options.h"
#include "mpp/flow.h"
#include "net/http.h"
#include "tempo/rpc.h"
#include "wallet/channel_store.h"
#include "wallet/journal.h"

namespace mpp::cli {

class PayContext {
 public:
  // Opens the journal (creating the data directory) but does not touch keys: those are read only
  // when a payment is about to be signed. Transports, environment and clock come from `services`.
  static Result<std::unique_ptr<PayContext>> Open(const PaymentSettings& settings, const Services& services);
  // As Open, with signing keys from `keys` instead (batch workers share one caching source). With a
  // `batch_budget` (--budget), every payment is reserved in it before it leaves (BudgetedLedger) and a price
  // above what is left is refused before anything is signed; it must outlive the context.
  static Result<std::unique_ptr<PayContext>> Open(const PaymentSettings& settings, protocol::KeySource keys,
                                                  const Services& services,
                                                  BatchBudget* batch_budget = nullptr);

  protocol::PayFlow& flow() { return *flow_; }

  // Runs `check` (may be null) before the --confirm question, at the same point: after the challenge
  // is chosen and checked against the caps, before anything is signed or journaled (the price drift).
  void CheckBeforePaying(protocol::PayFlow::BeforePaying check);

  // Before a paid call: asks the chain, within a few hundred milliseconds, about the last day's
  // payments whose outcome is unknown (or refused) and journals what it says, so a payment that never
  // landed stops counting against the daily budget. Never fails: -v says what it found or why not.
  // Also warns (WarnAboutOldChannels) about channels that have held deposits for long.
  void ReconcileEarlierPayments();
  // A warning on stderr when channels on this chain have held their deposits longer than
  // settings.channel_warn_age.
  void WarnAboutOldChannels();

  // Journals that the answer `payment` bought could not be written (`why`) and returns the error for
  // the user (kUnexpected, exit 1), which says that the payment stands.
  Error AnswerLost(const protocol::PaymentSummary& payment, const std::string& why);
  // Only the journaling half of AnswerLost: fails when the journal could not note it.
  Status RecordAnswerLost(const protocol::PaymentSummary& payment, const std::string& why);

  // What the payments of this context are for (`wallet spend` groups by it): kept on their `signed`
  // records, so set it before the call.
  void SetPaymentTags(wallet::PaymentTags tags) { ledger_->SetTags(std::move(tags)); }
  // Notes the tokens the answer `payment` bought reported, in the usage log beside the journal
  // (Paths::UsageFile); a failure is a warning on stderr.
  void RecordUsage(const protocol::PaymentSummary& payment, const wallet::TokenUsage& usage);

 private:
  PayContext() = default;
  Services services_;
  std::unique_ptr<net::HttpTransport> http_;
  std::unique_ptr<net::HttpTransport> side_http_;  // a session's vouchers while its answer streams
  std::unique_ptr<net::HttpTransport> rpc_http_;
  std::unique_ptr<tempo::RpcClient> rpc_;
  std::unique_ptr<wallet::Journal> ledger_;
  std::unique_ptr<wallet::Journal> usage_log_;  // usage.jsonl: `usage` records only
  std::unique_ptr<BudgetedLedger> budgeted_;    // over ledger_, with a batch budget
  std::unique_ptr<wallet::ChannelStore> channels_;
  PaymentSettings settings_;
  std::unique_ptr<protocol::PayFlow> flow_;
};

// The key source Open uses: each call resolves the wallet's key (--wallet, MPP_WALLET, MPP_PRIVATE_KEY,
// the default wallet; looked up in `env`), reading --password-file or prompting on a terminal.
Result<protocol::KeySource> WalletKeySource(const PaymentSettings& settings, const wallet::EnvLookup& env);

// One short line for stderr after a paid call: amount and token, the network fee (the most it could be,
// or what it was), and the tx hash.
std::string PaymentSummaryLine(const protocol::PaymentSummary& payment);

}  // namespace mpp::cli
