// Reconciling the journal with the chain: a payment whose outcome mpp never learned (the connection
// died after the credential, the process was killed, the server refused after holding a signed
// transaction) is looked up on chain and recorded `settled` or `failed` with the evidence, so a payment
// that never landed stops counting against the daily budget.
//
// How the chain decides: a self-paid transaction has a known hash, so its receipt answers (status 0x1:
// settled, 0x0: reverted, i.e. failed but its fee was paid). A sponsored one is re-signed by the
// server's fee payer, so its hash is unknown; the payer's TransferWithMemo log to the recipient with this
// payment's memo, searched from the block recorded at signing, answers instead. When neither shows up,
// the payment has failed only once it can no longer land: its expiring nonce makes it invalid in any
// block whose timestamp is at or after its validBefore, so the chain head is fetched first, in the same
// batch, and compared with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tempo/rpc.h"
#include "tempo/rpc_queries.h"
#include "util/error.h"
#include "wallet/history.h"
#include "wallet/journal.h"

namespace mpp::wallet {

// What to look at.
struct ReconcileScope {
  std::uint64_t chain_id = 0;                // only payments on this chain (the RPC's)
  std::optional<std::int64_t> signed_since;  // only payments signed at or after (UNIX seconds)
  bool settled_fees = false;  // also self-paid settled payments whose fee paid is not yet known
};

// The payments `scope` selects among `payments` (as CollectPayments and MarkAbandoned left them):
// unknown and refused ones with something to look up, and with settled_fees the settled self-paid ones
// without a fee paid. Pure.
std::vector<Payment> PaymentsToReconcile(const std::vector<Payment>& payments, const ReconcileScope& scope);

// What the chain showed about one payment.
struct ChainObservation {
  tempo::BlockHead head;                         // fetched before the lookups below
  std::optional<tempo::ReceiptDetails> receipt;  // self-paid: its receipt, if mined
  std::vector<tempo::EventLog> logs;             // sponsored: matching TransferWithMemo logs
};

enum class ChainVerdictKind { kSettled, kFailed, kStillUnknown };

struct ChainVerdict {
  ChainVerdictKind kind = ChainVerdictKind::kStillUnknown;
  std::string evidence;          // what showed it (or, when still unknown, why)
  std::string tx_hash;           // the transaction found (the sponsor's, for sponsored payments)
  std::optional<U256> fee_paid;  // from the receipt; 0 for sponsored payments
};

// The verdict on `payment` from `seen`. Pure.
ChainVerdict JudgeOnChain(const Payment& payment, const ChainObservation& seen);

// The log filter for a sponsored payment: TransferWithMemo on its currency from its payer to its
// recipient with its memo, from the block recorded at signing. nullopt when the journal lacks them.
std::optional<tempo::LogFilter> SponsoredTransferFilter(const JournalRecord& signed_record);

struct ReconcileLine {
  Payment payment;
  ChainVerdict verdict;
};

struct ReconcileReport {
  std::vector<ReconcileLine> lines;  // one per payment looked at, in journal order
  std::size_t skipped_other_chains = 0;
  std::size_t recorded = 0;  // verdicts appended to the journal
};

// Asks `rpc` about every payment `scope` selects in `journal` (in batches: the chain id, the head, then
// one lookup per payment) and appends a `settled` or `failed` record for each decided one. Errors:
// kNetwork when the RPC does not answer, kPaymentRefusedLocally when it is on another chain, kWallet for
// the journal; verdicts already appended stay.
Result<ReconcileReport> Reconcile(Journal& journal, tempo::RpcClient& rpc, const ReconcileScope& scope);

// One line for people: "2026-11-22T01:51:00Z  0.001 pathUSD (testnet)  127.0.0.1  failed: ...".
std::string RenderReconcileLine(const ReconcileLine& line);

}  // namespace mpp::wallet
