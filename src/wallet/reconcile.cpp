#include "wallet/reconcile.h"

#include <unistd.h>

#include <algorithm>
#include <span>

#include "mpp/charge_transaction.h"
#include "mpp/charge_verdict.h"
#include "util/amount.h"
#include "util/clock.h"
#include "util/hex.h"
#include "util/text.h"
#include "util/utc_time.h"
#include "wallet/history_render.h"

namespace mpp::wallet {
namespace {

// Payments per JSON-RPC batch (two more calls go first: the chain id and the head).
constexpr std::size_t kPaymentsPerBatch = 40;

bool IsProof(const JournalRecord& r) {
  return r.mode == protocol::PayModeName(protocol::PayMode::kProof) || r.amount.IsZero();
}

// The latest moment the transaction may be included at: its validBefore, else the record's time plus
// the validity window (validBefore is at most 25 s after signing, and the record is written after).
std::int64_t LatestValidBefore(const JournalRecord& r) {
  if (r.valid_before != 0) return static_cast<std::int64_t>(r.valid_before);
  return r.time + protocol::kValidityWindowSeconds;
}

std::string HeadText(const tempo::BlockHead& head) {
  return "the head block " + std::to_string(head.number) + " is from " + FormatUtcTimestamp(head.timestamp);
}

// Whether no block from now on can include it: block timestamps only grow, and a node refuses an
// expiring-nonce transaction in a block at or after its validBefore.
bool CanNoLongerLand(const JournalRecord& r, const tempo::BlockHead& head) {
  return head.timestamp >= LatestValidBefore(r);
}

std::string ValidBeforeText(const JournalRecord& r) { return FormatUtcTimestamp(LatestValidBefore(r)); }

std::string TokenText(const JournalRecord& r, const U256& amount) {
  const TokenKey token{r.chain_id, r.currency};
  return FormatTokenAmount(amount, TokenDecimals(token)) + " " + HistoryTokenLabel(token);
}

ChainVerdict Still(std::string why) { return {ChainVerdictKind::kStillUnknown, std::move(why), {}, {}}; }

ChainVerdict JudgeSelfPaid(const Payment& payment, const ChainObservation& seen) {
  const JournalRecord& r = payment.signed_record;
  if (seen.receipt) {
    const auto& receipt = *seen.receipt;
    const U256 fee = tempo::FeePaidInToken(receipt);
    const std::string where =
        "receipt of " + receipt.transaction_hash + " in block " + std::to_string(receipt.block_number);
    if (receipt.success) {
      return {ChainVerdictKind::kSettled, where + ": status 0x1, network fee " + TokenText(r, fee),
              receipt.transaction_hash, fee};
    }
    return {ChainVerdictKind::kFailed,
            where + ": status 0x0 (reverted: the amount did not move; the network fee " + TokenText(r, fee) +
                " was paid)",
            receipt.transaction_hash, fee};
  }
  if (CanNoLongerLand(r, seen.head)) {
    return {ChainVerdictKind::kFailed,
            "no receipt for " + r.tx_hash + ", and it can no longer land: its validBefore " +
                ValidBeforeText(r) + " has passed (" + HeadText(seen.head) + ")",
            r.tx_hash, std::nullopt};
  }
  return Still("not on chain yet; it can still land until " + ValidBeforeText(r) + " (" +
               HeadText(seen.head) + ")");
}

ChainVerdict JudgeSponsored(const Payment& payment, const ChainObservation& seen) {
  const JournalRecord& r = payment.signed_record;
  auto filter = SponsoredTransferFilter(r);
  if (!filter) {
    return Still(
        "the journal lacks the block, payer or memo needed to search the chain for this sponsored payment");
  }
  for (const auto& log : seen.logs) {
    // Only a mined log counts (a pending one has neither hash nor block), and only the topics asked for.
    auto amount = log.data.size() == 32 ? U256::FromBigEndian(log.data) : std::nullopt;
    if (!amount || amount->IsZero() || *amount > r.amount || !log.transaction_hash || !log.block_number ||
        log.address != filter->address || log.topics.size() != filter->topics.size() ||
        !std::equal(
            log.topics.begin(), log.topics.end(), filter->topics.begin(),
            [](const Hash32& got, const std::optional<Hash32>& want) { return !want || got == *want; })) {
      continue;
    }
    const std::string hash = ToHex(*log.transaction_hash);
    return {ChainVerdictKind::kSettled,
            "TransferWithMemo of " + TokenText(r, *amount) + " to " + r.recipient +
                " with this payment's memo in tx " + hash + ", block " + std::to_string(*log.block_number) +
                " (the server paid the network fee)",
            hash, U256()};
  }
  const std::string searched = "no TransferWithMemo with this payment's memo from block " +
                               std::to_string(filter->from_block) + " to " + std::to_string(seen.head.number);
  if (CanNoLongerLand(r, seen.head)) {
    return {ChainVerdictKind::kFailed,
            searched + ", and it can no longer land: its validBefore " + ValidBeforeText(r) +
                " has passed (" + HeadText(seen.head) + ")",
            {},
            std::nullopt};
  }
  return Still(searched + " yet; it can still land until " + ValidBeforeText(r));
}

JournalRecord VerdictRecord(const Payment& payment, const ChainVerdict& verdict) {
  JournalRecord record;
  record.type = verdict.kind == ChainVerdictKind::kSettled ? RecordType::kSettled : RecordType::kFailed;
  record.payment_id = payment.signed_record.payment_id;
  record.time = UnixNow();
  record.pid = ::getpid();
  record.reference = verdict.tx_hash;
  if (record.type == RecordType::kSettled) record.reference_source = "chain";
  record.evidence = verdict.evidence;
  record.fee_paid = verdict.fee_paid;
  return record;
}

}  // namespace

std::optional<tempo::LogFilter> SponsoredTransferFilter(const JournalRecord& signed_record) {
  auto currency = crypto::Address::Parse(signed_record.currency);
  auto recipient = crypto::Address::Parse(signed_record.recipient);
  auto payer = crypto::Address::Parse(signed_record.payer);
  auto memo = Hash32FromHex(signed_record.memo);
  if (!currency || !recipient || !payer || !memo || !signed_record.block) return std::nullopt;
  tempo::LogFilter filter;
  filter.address = *currency;
  filter.topics = {tempo::TransferWithMemoTopic(), tempo::AddressTopic(*payer),
                   tempo::AddressTopic(*recipient), *memo};
  filter.from_block = *signed_record.block;
  return filter;
}

std::vector<Payment> PaymentsToReconcile(const std::vector<Payment>& payments, const ReconcileScope& scope) {
  std::vector<Payment> selected;
  for (const Payment& payment : payments) {
    const JournalRecord& r = payment.signed_record;
    if (r.chain_id != scope.chain_id || IsProof(r)) continue;
    // A session voucher puts nothing on chain until the payee settles it, whenever it likes: the
    // chain cannot say yet whether it moved money. (A self-paid open has its own hash to look up.)
    if (!r.channel_id.empty() && r.tx_hash.empty()) continue;
    if (scope.signed_since && r.time < *scope.signed_since) continue;
    const bool undecided = payment.outcome == Outcome::kUnknown || payment.outcome == Outcome::kRefused;
    const bool fee_unknown = scope.settled_fees && payment.outcome == Outcome::kSettled &&
                             payment.chain_evidence.empty() && !payment.fee_paid && !r.tx_hash.empty() &&
                             !r.fee.IsZero();
    if (undecided || fee_unknown) selected.push_back(payment);
  }
  return selected;
}

ChainVerdict JudgeOnChain(const Payment& payment, const ChainObservation& seen) {
  if (payment.signed_record.tx_hash.empty()) return JudgeSponsored(payment, seen);
  ChainVerdict verdict = JudgeSelfPaid(payment, seen);
  // A payment already settled by the server's receipt only learns its fee; "no receipt yet" or "expired"
  // cannot overrule the server for it.
  if (payment.outcome == Outcome::kSettled && verdict.kind == ChainVerdictKind::kFailed && !seen.receipt) {
    return Still("the server reported it settled, but the node has no receipt for " +
                 payment.signed_record.tx_hash + " (" + HeadText(seen.head) + ")");
  }
  return verdict;
}

Result<ReconcileReport> Reconcile(Journal& journal, tempo::RpcClient& rpc, const ReconcileScope& scope) {
  auto contents = scope.signed_since ? journal.ReadSince(*scope.signed_since) : journal.Read();
  if (!contents) return contents.error();
  auto payments = CollectPayments(contents->records);
  MarkAbandoned(payments, ProcessAlive);
  ReconcileReport report;
  for (const auto& payment : payments) {
    const bool undecided = payment.outcome == Outcome::kUnknown || payment.outcome == Outcome::kRefused;
    if (undecided && payment.signed_record.chain_id != scope.chain_id) ++report.skipped_other_chains;
  }
  const std::vector<Payment> selected = PaymentsToReconcile(payments, scope);

  for (std::size_t begin = 0; begin < selected.size(); begin += kPaymentsPerBatch) {
    const std::span<const Payment> chunk =
        std::span(selected).subspan(begin, std::min(kPaymentsPerBatch, selected.size() - begin));
    std::vector<tempo::RpcCall> calls = {{"eth_chainId", "[]"},
                                         {"eth_getBlockByNumber", tempo::LatestBlockParams()}};
    std::vector<std::optional<std::size_t>> call_of(chunk.size());
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const JournalRecord& r = chunk[i].signed_record;
      if (!r.tx_hash.empty()) {
        call_of[i] = calls.size();
        calls.push_back({"eth_getTransactionReceipt", tempo::TransactionReceiptParams(r.tx_hash)});
      } else if (auto filter = SponsoredTransferFilter(r)) {
        call_of[i] = calls.size();
        calls.push_back({"eth_getLogs", tempo::LogsParams(*filter)});
      }
    }
    auto answers = rpc.CallBatch(calls);
    if (!answers) return answers.error();
    auto chain = tempo::RpcClient::Quantity("eth_chainId", (*answers)[0]);
    if (!chain) return chain.error();
    if (!chain->FitsUint64() || chain->Low64() != scope.chain_id) {
      return MakeError(ErrorKind::kPaymentRefusedLocally,
                       "the RPC at " + rpc.url() + " is on chain " + chain->ToDecimal() + ", not " +
                           std::to_string(scope.chain_id) + "; point --rpc-url at the right network");
    }
    auto head = tempo::ReadBlockHead((*answers)[1]);
    if (!head) return head.error();
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      ChainObservation seen{*head, std::nullopt, {}};
      ChainVerdict verdict;
      std::optional<Error> problem;
      if (call_of[i] && !chunk[i].signed_record.tx_hash.empty()) {
        auto receipt = tempo::ReadTransactionReceipt((*answers)[*call_of[i]]);
        if (receipt) {
          seen.receipt = *receipt;
        } else {
          problem = receipt.error();
        }
      } else if (call_of[i]) {
        auto logs = tempo::ReadLogs((*answers)[*call_of[i]]);
        if (logs) {
          seen.logs = std::move(*logs);
        } else {
          problem = logs.error();
        }
      }
      verdict =
          problem ? Still("the RPC could not answer: " + problem->message) : JudgeOnChain(chunk[i], seen);
      if (verdict.kind != ChainVerdictKind::kStillUnknown) {
        if (auto appended = journal.Append(VerdictRecord(chunk[i], verdict)); !appended)
          return appended.error();
        ++report.recorded;
      }
      report.lines.push_back({chunk[i], std::move(verdict)});
    }
  }
  return report;
}

std::string RenderReconcileLine(const ReconcileLine& line) {
  const JournalRecord& r = line.payment.signed_record;
  std::string verdict;
  switch (line.verdict.kind) {
    case ChainVerdictKind::kSettled:
      verdict = line.payment.outcome == Outcome::kSettled ? "settled, fee now known" : "settled";
      break;
    case ChainVerdictKind::kFailed:
      verdict = "failed";
      break;
    case ChainVerdictKind::kStillUnknown:
      verdict = std::string("still ") + std::string(OutcomeName(line.payment.outcome));
      break;
  }
  return FormatUtcTimestamp(r.time) + "  " + TokenText(r, r.amount) + "  " + DisplayText(ServiceName(r), 80) +
         "  " + verdict + ": " + DisplayText(line.verdict.evidence, 300) + "\n";
}

}  // namespace mpp::wallet
