// One line of the payment journal (payments.jsonl): what a payment was about to do, and what became of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mpp/ledger.h"
#include "util/u256.h"

namespace mpp::wallet {

// kSigned is written (and fsynced) before the credential leaves; at most one outcome record follows
// per attempt: kSettled (a 2xx came back), kRefused (the server refused it, or the flow stopped before
// anything left), kUnknown (the connection was lost after sending: it may have settled),
// kUndelivered (the payment went through but the service answered an error instead of the result).
// Later, `wallet reconcile` may add what the chain says: kSettled or kFailed with `evidence` (the
// transaction never landed, or reverted). kLost notes a settled payment whose answer could not be
// written. A session payment's metered answer adds kVoucher (a higher voucher signed) and kTopUp (a
// deposit added) records, each written before it leaves. kClose stands alone (its own id): a channel
// the chain shows closed by `wallet channels close`, with what came back (or, for a requested forced
// close, the request and its fee). kUsage notes the tokens a paid chat call's answer reported, once
// the answer is in; it lives in the usage log beside the journal (Paths::UsageFile), not in it.
enum class RecordType {
  kSigned,
  kSettled,
  kRefused,
  kUnknown,
  kUndelivered,
  kFailed,
  kLost,
  kVoucher,
  kTopUp,
  kClose,
  kUsage
};

// "signed", "settled", "refused", "unknown", "undelivered", "failed", "lost", "voucher", "top-up",
// "close", "usage": the "type" field.
std::string_view RecordTypeName(RecordType type);

struct JournalRecord {
  RecordType type = RecordType::kSigned;
  std::string payment_id;  // links a payment's records
  std::int64_t time = 0;   // UNIX seconds; written as RFC 3339 UTC
  std::int64_t pid = 0;    // the process that wrote the record

  // kSigned only.
  std::string url;
  std::string realm;
  std::string challenge_id;
  U256 amount;            // base units; a decimal string in JSON
  std::string currency;   // token address, EIP-55
  std::string recipient;  // EIP-55
  std::uint64_t chain_id = 0;
  std::string tx_hash;  // 0x-prefixed; empty for proofs
  std::string mode;     // mpp::protocol::PayModeName: "pull", "push", ...
  std::string payer;    // EIP-55; empty in records older than fees
  U256 fee;             // the most its fees could be, base units ("fee"); 0 in records older than fees
  std::uint64_t valid_before = 0;      // the transaction's validBefore; 0 when not recorded
  std::optional<std::uint64_t> block;  // the chain head before signing
  std::string memo;                    // the recipient transfer's memo, 0x-prefixed; may be empty
  // The latest time stamped on any record up to and including this one (file order is the order
  // things happened, stamps need not be: clocks step). Lets a reader stop reading backwards at a
  // record before which nothing is newer. nullopt in journals written before mpp kept it.
  std::optional<std::int64_t> latest;
  // kSigned, optional: what the paying command knew the payment was for (PaymentTags); empty when it
  // did not say, and in records written before mpp kept them.
  std::string model;
  std::string conversation;
  std::string template_name;

  // kSettled, kUndelivered: the on-chain hash, from the receipt or (self-paid, no receipt) the signed
  // transaction; empty when unknown (sponsored, no receipt) or for proofs. kSettled from `wallet
  // reconcile`: the hash the chain showed.
  std::string reference;
  // kSettled: where `reference` comes from: "receipt", "signed transaction", "chain" (reconcile), or
  // "unknown" (then it is empty and the JSON has no "reference"); empty in records written before this
  // field existed.
  std::string reference_source;
  // kSettled, kUndelivered: what was odd about it (cut off, receipt not trusted); often empty.
  std::string note;
  std::string problem;  // kRefused: what the server (or the flow) said
  std::string reason;   // kUnknown, kLost: what happened
  // kUndelivered: the HTTP status, the service's error text and its own "paymentId" (may be empty).
  std::int64_t status = 0;
  std::string error;
  std::string service_payment_id;
  std::string evidence;          // kSettled (from the chain), kFailed: what the chain showed
  std::optional<U256> fee_paid;  // kSettled, kFailed: the fee the chain's receipt reports

  // Sessions. kSigned of a session payment, kVoucher, kTopUp: the channel, 0x + 64 hex.
  std::string channel_id;
  // kSigned of a session payment: the escrow and the rest of the channel's descriptor (its payer,
  // payee and token are `payer`, `recipient` and `currency`), all a later voucher, top-up, close or
  // recovery needs. Hashes 0x + 64 hex, addresses EIP-55.
  std::string escrow;
  std::string channel_operator;
  std::string salt;
  std::string authorized_signer;
  std::string expiring_nonce_hash;
  U256 deposit;     // kSigned (session): the channel's deposit once paid; kTopUp: what it adds
  U256 cumulative;  // kSigned (session), kVoucher: the cumulative amount the voucher carries
  // (kVoucher: `amount` is what it adds to the cumulative; kTopUp: `fee` and `tx_hash` are its own.)
  // kClose: `channel_id`, `escrow`, `payer`, `recipient` (the payee), `currency` and `chain_id` name the
  // channel, `url` the service it paid (empty when unknown); `mode` says how it closed ("cooperative",
  // "request-close", "withdraw"); `deposit` is what it held, `amount` what came back to the payer and
  // `cumulative` what the payee kept (both 0 for a request-close, which moves nothing yet); `tx_hash` the
  // close's transaction when known; `fee_paid` what the payer's own transaction cost in fees (request-close,
  // withdraw).

  // kUsage: the tokens the answer reported (its "usage").
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;

  friend bool operator==(const JournalRecord&, const JournalRecord&) = default;
};

// What a chat call's payment is for, as the paying command knows it before signing: the model it asked
// for, the conversation it continues or starts, the template it came from. Each may be empty.
struct PaymentTags {
  std::string model;
  std::string conversation;
  std::string template_name;
};

// The tokens an answer reported.
struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  friend bool operator==(const TokenUsage&, const TokenUsage&) = default;
};

// A kUsage record of payment `payment_id`, stamped with `time` and this process's pid.
JournalRecord MakeUsageRecord(const TokenUsage& usage, std::string payment_id, std::int64_t time);

// A kSigned record for `payment`, stamped with `time` and this process's pid.
JournalRecord MakeSignedRecord(const protocol::PaymentRecord& payment, std::string payment_id,
                               std::int64_t time);

// A kVoucher or kTopUp record for `increment` of payment `payment_id`.
JournalRecord MakeIncrementRecord(const protocol::PaymentIncrement& increment, std::string payment_id,
                                  std::int64_t time);

// What `wallet channels close` saw the chain do to a channel: the fields of a kClose record.
struct ChannelCloseEvent {
  std::string mode;      // "cooperative", "request-close", "withdraw"
  std::string endpoint;  // the service the channel paid, when known (the record's "url")
  std::string channel_id;
  std::string escrow;
  std::string payer;
  std::string payee;
  std::string token;
  std::uint64_t chain_id = 0;
  U256 deposit;
  U256 refunded;
  U256 kept;
  std::string tx_hash;
  std::optional<U256> fee_paid;
};

// A kClose record for `close`, with a fresh id, stamped with `time` and this process's pid.
JournalRecord MakeCloseRecord(const ChannelCloseEvent& close, std::int64_t time);

// The record as one line of JSON ending in '\n'; control characters in server-provided text are
// escaped, so a record is always exactly one line.
std::string EncodeJournalLine(const JournalRecord& record);

// Parses one line (without its '\n'). nullopt for malformed JSON, an unknown type, or a missing or
// malformed required field; unknown extra fields are ignored.
std::optional<JournalRecord> ParseJournalLine(std::string_view line);

}  // namespace mpp::wallet
