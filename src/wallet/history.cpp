#include "wallet/history.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <limits>
#include <set>
#include <unordered_map>

#include "net/url.h"
#include "util/text.h"
#include "util/utc_time.h"

namespace mpp::wallet {

void MarkAbandoned(std::vector<Payment>& payments,
                   const std::function<bool(std::int64_t pid)>& process_alive) {
  for (auto& payment : payments) {
    if (payment.outcome != Outcome::kPending || process_alive(payment.signed_record.pid)) continue;
    payment.outcome = Outcome::kUnknown;
    payment.outcome_detail = "process " + std::to_string(payment.signed_record.pid) +
                             " ended before it learned the outcome; the payment may have settled";
  }
}

bool ProcessAlive(std::int64_t pid) {
  if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) return false;
  if (pid == ::getpid()) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

namespace {

void Add(Spend& spend, const Payment& payment) {
  if (payment.outcome != Outcome::kFailed) {
    const bool went_through =
        payment.outcome == Outcome::kSettled || payment.outcome == Outcome::kUndelivered;
    U256& bucket = went_through ? spend.settled : spend.unsettled;
    bucket = U256::SaturatingAdd(bucket, payment.signed_record.amount);
  }
  spend.fees = U256::SaturatingAdd(spend.fees, CountedFee(payment));
  ++spend.count;
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPending:
      return "pending";
    case Outcome::kSettled:
      return "settled";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kUnknown:
      return "unknown";
    case Outcome::kUndelivered:
      return "undelivered";
    case Outcome::kFailed:
      return "failed";
  }
  return "pending";
}

U256 CountedFee(const Payment& payment) {
  if (payment.fee_paid) return *payment.fee_paid;
  return payment.outcome == Outcome::kFailed ? U256() : payment.signed_record.fee;
}

std::string StillUnknownWhy(const Payment& payment) {
  if (payment.outcome != Outcome::kUnknown) return {};
  const JournalRecord& r = payment.signed_record;
  if (r.tx_hash.empty() && (!r.block || r.memo.empty())) {
    return "the journal holds neither its transaction hash nor the block and memo to search the chain for it "
           "(an RPC that did not answer when it was signed, or an older mpp); check the payer's transfers "
           "with a block explorer";
  }
  return "the chain has not confirmed it either way; 'mpp wallet reconcile' asks it";
}

std::vector<Payment> CollectPayments(const std::vector<JournalRecord>& records,
                                     std::optional<std::int64_t> since) {
  std::vector<Payment> payments;
  std::unordered_map<std::string, std::size_t> index_by_id;
  for (const JournalRecord& record : records) {
    if (record.type == RecordType::kSigned) {
      if (since && record.time < *since) continue;
      index_by_id[record.payment_id] = payments.size();
      Payment payment;
      payment.signed_record = record;
      payments.push_back(std::move(payment));
      continue;
    }
    const auto found = index_by_id.find(record.payment_id);
    if (found == index_by_id.end()) continue;
    Payment& payment = payments[found->second];
    switch (record.type) {
      case RecordType::kSettled:
        payment.outcome = Outcome::kSettled;
        payment.outcome_detail = record.reference;
        if (record.reference_source == "unknown") {
          payment.outcome_detail = "on-chain hash unknown (sponsored payment, no receipt)";
        }
        if (!record.evidence.empty()) payment.chain_evidence = record.evidence;
        if (record.fee_paid) payment.fee_paid = record.fee_paid;
        break;
      case RecordType::kUndelivered:
        payment.outcome = Outcome::kUndelivered;
        payment.outcome_detail = "HTTP " + std::to_string(record.status) + ": " + record.error;
        if (!record.service_payment_id.empty()) {
          payment.outcome_detail += "; paymentId " + record.service_payment_id;
        }
        payment.service_payment_id = record.service_payment_id;
        break;
      case RecordType::kRefused:
        payment.outcome = Outcome::kRefused;
        payment.outcome_detail = record.problem;
        break;
      case RecordType::kUnknown:
        payment.outcome = Outcome::kUnknown;
        payment.outcome_detail = record.reason;
        break;
      case RecordType::kFailed:
        payment.outcome = Outcome::kFailed;
        payment.outcome_detail = record.evidence;
        payment.chain_evidence = record.evidence;
        if (record.fee_paid) payment.fee_paid = record.fee_paid;
        break;
      case RecordType::kLost:
        payment.answer_lost = record.reason;
        break;
      case RecordType::kVoucher:
        payment.signed_record.amount = U256::SaturatingAdd(payment.signed_record.amount, record.amount);
        payment.signed_record.cumulative = record.cumulative;
        ++payment.vouchers;
        break;
      case RecordType::kTopUp:
        payment.signed_record.fee = U256::SaturatingAdd(payment.signed_record.fee, record.fee);
        payment.signed_record.deposit = U256::SaturatingAdd(payment.signed_record.deposit, record.deposit);
        ++payment.top_ups;
        break;
      case RecordType::kUsage:
        payment.usage = TokenUsage{record.prompt_tokens, record.completion_tokens, record.total_tokens};
        break;
      case RecordType::kSigned:
      case RecordType::kClose:
        break;
    }
  }
  return payments;
}

bool IsSentClose(const JournalRecord& close) { return close.mode.ends_with("-sent"); }

std::vector<JournalRecord> CollectCloses(const std::vector<JournalRecord>& records,
                                         std::optional<std::int64_t> since) {
  // A forced close's transaction is journaled before it is broadcast ("...-sent") and again with its
  // outcome; the outcome's record stands for both.
  std::set<std::string> concluded;
  for (const JournalRecord& record : records) {
    if (record.type == RecordType::kClose && !IsSentClose(record))
      concluded.insert(AsciiLower(record.tx_hash));
  }
  std::vector<JournalRecord> closes;
  for (const JournalRecord& record : records) {
    if (record.type != RecordType::kClose || (since && record.time < *since)) continue;
    if (IsSentClose(record) && concluded.contains(AsciiLower(record.tx_hash))) continue;
    closes.push_back(record);
  }
  return closes;
}

std::string ServiceName(const JournalRecord& signed_record) {
  if (!signed_record.realm.empty()) return signed_record.realm;
  if (auto origin = net::ParseOrigin(signed_record.url)) return origin->host;
  // A close whose service is unknown (a channel recovered from the chain alone): its payee.
  if (signed_record.url.empty()) return signed_record.recipient;
  return signed_record.url;
}

HistoryTotals Summarize(const std::vector<Payment>& payments, const std::vector<JournalRecord>& closes) {
  HistoryTotals totals;
  for (const JournalRecord& close : closes) {
    if (!close.fee_paid || close.fee_paid->IsZero()) continue;
    const TokenKey token{close.chain_id, close.currency};
    for (Spend* spend : {&totals.per_day[FormatUtcDate(close.time)][token],
                         &totals.per_service[ServiceName(close)][token], &totals.per_token[token]}) {
      spend->fees = U256::SaturatingAdd(spend->fees, *close.fee_paid);
    }
  }
  for (const Payment& payment : payments) {
    const JournalRecord& record = payment.signed_record;
    const TokenKey token{record.chain_id, record.currency};
    Add(totals.per_day[FormatUtcDate(record.time)][token], payment);
    Add(totals.per_service[ServiceName(record)][token], payment);
    Add(totals.per_token[token], payment);
  }
  return totals;
}

}  // namespace mpp::wallet
