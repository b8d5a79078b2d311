#include "wallet/journal_record.h"
#include "util/json_depth.h"

#include <unistd.h>

#include <array>
#include <utility>

#include <rapidjson/document.h>

#include "util/hex.h"
#include "util/json_fields.h"
#include "util/json_writer.h"
#include "util/random.h"
#include "util/rfc3339.h"
#include "util/utc_time.h"

namespace mpp::wallet {

namespace {

constexpr std::uint64_t kFormatVersion = 1;

constexpr std::array<std::pair<RecordType, std::string_view>, 11> kTypeNames{{
    {RecordType::kSigned, "signed"},
    {RecordType::kSettled, "settled"},
    {RecordType::kRefused, "refused"},
    {RecordType::kUnknown, "unknown"},
    {RecordType::kUndelivered, "undelivered"},
    {RecordType::kFailed, "failed"},
    {RecordType::kLost, "lost"},
    {RecordType::kVoucher, "voucher"},
    {RecordType::kTopUp, "top-up"},
    {RecordType::kClose, "close"},
    {RecordType::kUsage, "usage"},
}};

std::string HashText(const Hash32& hash) { return ToHex(ByteView(hash.data(), hash.size())); }

// The session fields of a signed record, all or none.
void WriteChannel(json::Writer& writer, const JournalRecord& r) {
  json::WriteField(writer, "channel_id", r.channel_id);
  json::WriteField(writer, "escrow", r.escrow);
  json::WriteField(writer, "operator", r.channel_operator);
  json::WriteField(writer, "salt", r.salt);
  json::WriteField(writer, "authorized_signer", r.authorized_signer);
  json::WriteField(writer, "expiring_nonce_hash", r.expiring_nonce_hash);
  json::WriteField(writer, "deposit", r.deposit.ToDecimal());
  json::WriteField(writer, "cumulative", r.cumulative.ToDecimal());
}

constexpr std::string_view kUnknownSource = "unknown";

std::optional<RecordType> ParseType(std::string_view name) {
  for (const auto& [type, type_name] : kTypeNames) {
    if (type_name == name) return type;
  }
  return std::nullopt;
}

using json::Writer;

bool ReadString(const rapidjson::Value& object, const char* key, std::string& out) {
  const auto value = json::StringMember(object, key);
  if (!value) return false;
  out = std::string(*value);
  return true;
}

// A decimal string of base units.
bool ReadAmount(const rapidjson::Value& object, const char* key, U256& out) {
  const auto text = json::StringMember(object, key);
  const auto value = text ? U256::FromDecimal(*text) : std::nullopt;
  if (!value) return false;
  out = *value;
  return true;
}

}  // namespace

std::string_view RecordTypeName(RecordType type) {
  for (const auto& [known, name] : kTypeNames) {
    if (known == type) return name;
  }
  return "unknown";
}

JournalRecord MakeSignedRecord(const protocol::PaymentRecord& payment, std::string payment_id,
                               std::int64_t time) {
  JournalRecord record;
  record.type = RecordType::kSigned;
  record.payment_id = std::move(payment_id);
  record.time = time;
  record.pid = ::getpid();
  record.url = payment.url;
  record.realm = payment.realm;
  record.challenge_id = payment.challenge_id;
  record.amount = payment.amount;
  record.currency = payment.currency.ToChecksumHex();
  record.recipient = payment.recipient.ToChecksumHex();
  record.chain_id = payment.chain_id;
  record.tx_hash = payment.tx_hash;
  record.mode = payment.mode;
  record.payer = payment.payer.ToChecksumHex();
  record.fee = payment.fee;
  record.valid_before = payment.valid_before;
  record.block = payment.block;
  record.memo = payment.memo;
  if (const auto& c = payment.channel) {
    record.channel_id = HashText(c->channel_id);
    record.escrow = c->escrow.ToChecksumHex();
    record.channel_operator = c->descriptor.operator_address.ToChecksumHex();
    record.salt = HashText(c->descriptor.salt);
    record.authorized_signer = c->descriptor.authorized_signer.ToChecksumHex();
    record.expiring_nonce_hash = HashText(c->descriptor.expiring_nonce_hash);
    record.deposit = c->deposit;
    record.cumulative = c->cumulative;
  }
  return record;
}

JournalRecord MakeIncrementRecord(const protocol::PaymentIncrement& increment, std::string payment_id,
                                  std::int64_t time) {
  JournalRecord record;
  record.type = increment.kind == protocol::PaymentIncrement::Kind::kVoucher ? RecordType::kVoucher
                                                                             : RecordType::kTopUp;
  record.payment_id = std::move(payment_id);
  record.time = time;
  record.pid = ::getpid();
  record.channel_id = increment.channel_id;
  record.cumulative = increment.cumulative;
  record.amount = increment.amount;
  record.deposit = increment.deposit;
  record.fee = increment.fee;
  record.tx_hash = increment.tx_hash;
  return record;
}

JournalRecord MakeUsageRecord(const TokenUsage& usage, std::string payment_id, std::int64_t time) {
  JournalRecord record;
  record.type = RecordType::kUsage;
  record.payment_id = std::move(payment_id);
  record.time = time;
  record.pid = ::getpid();
  record.prompt_tokens = usage.prompt_tokens;
  record.completion_tokens = usage.completion_tokens;
  record.total_tokens = usage.total_tokens;
  return record;
}

JournalRecord MakeCloseRecord(const ChannelCloseEvent& close, std::int64_t time) {
  JournalRecord record;
  record.type = RecordType::kClose;
  record.payment_id = RandomUuid();
  record.time = time;
  record.pid = ::getpid();
  record.mode = close.mode;
  record.url = close.endpoint;
  record.channel_id = close.channel_id;
  record.escrow = close.escrow;
  record.payer = close.payer;
  record.recipient = close.payee;
  record.currency = close.token;
  record.chain_id = close.chain_id;
  record.deposit = close.deposit;
  record.amount = close.refunded;
  record.cumulative = close.kept;
  record.tx_hash = close.tx_hash;
  record.fee_paid = close.fee_paid;
  return record;
}

std::string EncodeJournalLine(const JournalRecord& record) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("v");
  writer.Uint64(kFormatVersion);
  json::WriteField(writer, "type", RecordTypeName(record.type));
  json::WriteField(writer, "id", record.payment_id);
  json::WriteField(writer, "time", FormatUtcTimestamp(record.time));
  writer.Key("pid");
  writer.Int64(record.pid);
  switch (record.type) {
    case RecordType::kSigned:
      json::WriteField(writer, "url", record.url);
      json::WriteField(writer, "realm", record.realm);
      json::WriteField(writer, "challenge_id", record.challenge_id);
      json::WriteField(writer, "amount", record.amount.ToDecimal());
      json::WriteField(writer, "currency", record.currency);
      json::WriteField(writer, "recipient", record.recipient);
      writer.Key("chain_id");
      writer.Uint64(record.chain_id);
      json::WriteField(writer, "tx_hash", record.tx_hash);
      json::WriteField(writer, "mode", record.mode);
      if (!record.payer.empty()) json::WriteField(writer, "payer", record.payer);
      json::WriteField(writer, "fee", record.fee.ToDecimal());
      if (record.valid_before != 0) {
        writer.Key("valid_before");
        writer.Uint64(record.valid_before);
      }
      if (record.block) {
        writer.Key("block");
        writer.Uint64(*record.block);
      }
      if (!record.memo.empty()) json::WriteField(writer, "memo", record.memo);
      if (!record.channel_id.empty()) WriteChannel(writer, record);
      if (record.latest) json::WriteField(writer, "latest", FormatUtcTimestamp(*record.latest));
      if (!record.model.empty()) json::WriteField(writer, "model", record.model);
      if (!record.conversation.empty()) json::WriteField(writer, "conversation", record.conversation);
      if (!record.template_name.empty()) json::WriteField(writer, "template", record.template_name);
      break;
    case RecordType::kUsage:
      writer.Key("prompt_tokens");
      writer.Int64(record.prompt_tokens);
      writer.Key("completion_tokens");
      writer.Int64(record.completion_tokens);
      writer.Key("total_tokens");
      writer.Int64(record.total_tokens);
      break;
    case RecordType::kVoucher:
      json::WriteField(writer, "channel_id", record.channel_id);
      json::WriteField(writer, "cumulative", record.cumulative.ToDecimal());
      json::WriteField(writer, "amount", record.amount.ToDecimal());
      break;
    case RecordType::kTopUp:
      json::WriteField(writer, "channel_id", record.channel_id);
      json::WriteField(writer, "deposit", record.deposit.ToDecimal());
      json::WriteField(writer, "fee", record.fee.ToDecimal());
      if (!record.tx_hash.empty()) json::WriteField(writer, "tx_hash", record.tx_hash);
      break;
    case RecordType::kClose:
      json::WriteField(writer, "mode", record.mode);
      if (!record.url.empty()) json::WriteField(writer, "url", record.url);
      json::WriteField(writer, "channel_id", record.channel_id);
      json::WriteField(writer, "escrow", record.escrow);
      json::WriteField(writer, "payer", record.payer);
      json::WriteField(writer, "recipient", record.recipient);
      json::WriteField(writer, "currency", record.currency);
      writer.Key("chain_id");
      writer.Uint64(record.chain_id);
      json::WriteField(writer, "deposit", record.deposit.ToDecimal());
      json::WriteField(writer, "refunded", record.amount.ToDecimal());
      json::WriteField(writer, "kept", record.cumulative.ToDecimal());
      if (!record.tx_hash.empty()) json::WriteField(writer, "tx_hash", record.tx_hash);
      if (record.fee_paid) json::WriteField(writer, "fee_paid", record.fee_paid->ToDecimal());
      break;
    case RecordType::kSettled:
      // An unknown hash is said so, not written as an empty string.
      if (record.reference_source != kUnknownSource) json::WriteField(writer, "reference", record.reference);
      if (!record.reference_source.empty())
        json::WriteField(writer, "reference_source", record.reference_source);
      if (!record.evidence.empty()) json::WriteField(writer, "evidence", record.evidence);
      if (record.fee_paid) json::WriteField(writer, "fee_paid", record.fee_paid->ToDecimal());
      if (!record.note.empty()) json::WriteField(writer, "note", record.note);
      break;
    case RecordType::kFailed:
      json::WriteField(writer, "evidence", record.evidence);
      if (record.fee_paid) json::WriteField(writer, "fee_paid", record.fee_paid->ToDecimal());
      break;
    case RecordType::kRefused:
      json::WriteField(writer, "problem", record.problem);
      break;
    case RecordType::kUnknown:
    case RecordType::kLost:
      json::WriteField(writer, "reason", record.reason);
      break;
    case RecordType::kUndelivered:
      writer.Key("status");
      writer.Int64(record.status);
      json::WriteField(writer, "error", record.error);
      if (!record.service_payment_id.empty())
        json::WriteField(writer, "paymentId", record.service_payment_id);
      if (!record.reference.empty()) json::WriteField(writer, "reference", record.reference);
      if (!record.note.empty()) json::WriteField(writer, "note", record.note);
      break;
  }
  writer.EndObject();
  std::string line = json::BufferText(buffer);
  line += '\n';
  return line;
}

std::optional<JournalRecord> ParseJournalLine(std::string_view line) {
  rapidjson::Document document;
  if (!JsonNestingWithin(line)) return std::nullopt;
  document.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  JournalRecord record;
  const auto type_name = json::StringMember(document, "type");
  const auto type = type_name ? ParseType(*type_name) : std::nullopt;
  const auto time_text = json::StringMember(document, "time");
  const auto time = time_text ? ParseRfc3339(*time_text) : std::nullopt;
  const rapidjson::Value* pid = json::FindMember(document, "pid");
  if (!type || !time || !ReadString(document, "id", record.payment_id) || record.payment_id.empty() ||
      pid == nullptr || !pid->IsInt64()) {
    return std::nullopt;
  }
  record.type = *type;
  record.time = *time;
  record.pid = pid->GetInt64();
  switch (record.type) {
    case RecordType::kSigned: {
      const auto amount_text = json::StringMember(document, "amount");
      const auto amount = amount_text ? U256::FromDecimal(*amount_text) : std::nullopt;
      const auto chain_id = json::Uint64Member(document, "chain_id");
      if (!amount || !chain_id || !ReadString(document, "url", record.url) ||
          !ReadString(document, "realm", record.realm) ||
          !ReadString(document, "challenge_id", record.challenge_id) ||
          !ReadString(document, "currency", record.currency) ||
          !ReadString(document, "recipient", record.recipient) ||
          !ReadString(document, "tx_hash", record.tx_hash) || !ReadString(document, "mode", record.mode)) {
        return std::nullopt;
      }
      record.amount = *amount;
      record.chain_id = *chain_id;
      // Added with fees; older records have none of these.
      if (json::FindMember(document, "fee") != nullptr && !ReadAmount(document, "fee", record.fee))
        return std::nullopt;
      if (const rapidjson::Value* valid_before = json::FindMember(document, "valid_before")) {
        if (!valid_before->IsUint64()) return std::nullopt;
        record.valid_before = valid_before->GetUint64();
      }
      if (const rapidjson::Value* block = json::FindMember(document, "block")) {
        if (!block->IsUint64()) return std::nullopt;
        record.block = block->GetUint64();
      }
      if (json::FindMember(document, "memo") != nullptr && !ReadString(document, "memo", record.memo))
        return std::nullopt;
      if (json::FindMember(document, "payer") != nullptr && !ReadString(document, "payer", record.payer))
        return std::nullopt;
      if (const auto latest_text = json::StringMember(document, "latest")) {
        record.latest = ParseRfc3339(*latest_text);
        if (!record.latest) return std::nullopt;
      }
      if (json::FindMember(document, "channel_id") != nullptr &&
          (!ReadString(document, "channel_id", record.channel_id) ||
           !ReadString(document, "escrow", record.escrow) ||
           !ReadString(document, "operator", record.channel_operator) ||
           !ReadString(document, "salt", record.salt) ||
           !ReadString(document, "authorized_signer", record.authorized_signer) ||
           !ReadString(document, "expiring_nonce_hash", record.expiring_nonce_hash) ||
           !ReadAmount(document, "deposit", record.deposit) ||
           !ReadAmount(document, "cumulative", record.cumulative))) {
        return std::nullopt;
      }
      for (auto [key, out] :
           {std::pair{"model", &record.model}, std::pair{"conversation", &record.conversation},
            std::pair{"template", &record.template_name}}) {
        if (json::FindMember(document, key) != nullptr && !ReadString(document, key, *out))
          return std::nullopt;
      }
      return record;
    }
    case RecordType::kUsage:
      for (auto [key, out] : {std::pair{"prompt_tokens", &record.prompt_tokens},
                              std::pair{"completion_tokens", &record.completion_tokens},
                              std::pair{"total_tokens", &record.total_tokens}}) {
        const rapidjson::Value* value = json::FindMember(document, key);
        if (value == nullptr || !value->IsInt64() || value->GetInt64() < 0) return std::nullopt;
        *out = value->GetInt64();
      }
      return record;
    case RecordType::kVoucher:
      if (!ReadString(document, "channel_id", record.channel_id) ||
          !ReadAmount(document, "cumulative", record.cumulative) ||
          !ReadAmount(document, "amount", record.amount))
        return std::nullopt;
      return record;
    case RecordType::kTopUp:
      if (!ReadString(document, "channel_id", record.channel_id) ||
          !ReadAmount(document, "deposit", record.deposit) || !ReadAmount(document, "fee", record.fee))
        return std::nullopt;
      if (json::FindMember(document, "tx_hash") != nullptr &&
          !ReadString(document, "tx_hash", record.tx_hash))
        return std::nullopt;
      return record;
    case RecordType::kClose: {
      const auto chain_id = json::Uint64Member(document, "chain_id");
      if (!chain_id || !ReadString(document, "mode", record.mode) ||
          !ReadString(document, "channel_id", record.channel_id) ||
          !ReadString(document, "escrow", record.escrow) || !ReadString(document, "payer", record.payer) ||
          !ReadString(document, "recipient", record.recipient) ||
          !ReadString(document, "currency", record.currency) ||
          !ReadAmount(document, "deposit", record.deposit) ||
          !ReadAmount(document, "refunded", record.amount) ||
          !ReadAmount(document, "kept", record.cumulative))
        return std::nullopt;
      record.chain_id = *chain_id;
      if ((json::FindMember(document, "tx_hash") != nullptr &&
           !ReadString(document, "tx_hash", record.tx_hash)) ||
          (json::FindMember(document, "url") != nullptr && !ReadString(document, "url", record.url)))
        return std::nullopt;
      if (json::FindMember(document, "fee_paid") != nullptr) {
        U256 fee_paid;
        if (!ReadAmount(document, "fee_paid", fee_paid)) return std::nullopt;
        record.fee_paid = fee_paid;
      }
      return record;
    }
    case RecordType::kSettled:
    case RecordType::kFailed: {
      if (record.type == RecordType::kSettled) {
        if (const auto source = json::StringMember(document, "reference_source"))
          record.reference_source = *source;
        const bool has_reference = ReadString(document, "reference", record.reference);
        if (!has_reference && record.reference_source != kUnknownSource) return std::nullopt;
        ReadString(document, "note", record.note);  // optional
      }
      if (record.type == RecordType::kFailed && !ReadString(document, "evidence", record.evidence))
        return std::nullopt;
      if (json::FindMember(document, "evidence") != nullptr &&
          !ReadString(document, "evidence", record.evidence))
        return std::nullopt;
      if (json::FindMember(document, "fee_paid") != nullptr) {
        U256 fee_paid;
        if (!ReadAmount(document, "fee_paid", fee_paid)) return std::nullopt;
        record.fee_paid = fee_paid;
      }
      return record;
    }
    case RecordType::kUndelivered: {
      const rapidjson::Value* status = json::FindMember(document, "status");
      if (status == nullptr || !status->IsInt64() || !ReadString(document, "error", record.error)) {
        return std::nullopt;
      }
      record.status = status->GetInt64();
      if (const auto id = json::StringMember(document, "paymentId")) record.service_payment_id = *id;
      if (const auto reference = json::StringMember(document, "reference")) record.reference = *reference;
      ReadString(document, "note", record.note);  // optional
      return record;
    }
    case RecordType::kRefused:
      if (!ReadString(document, "problem", record.problem)) return std::nullopt;
      return record;
    case RecordType::kUnknown:
    case RecordType::kLost:
      if (!ReadString(document, "reason", record.reason)) return std::nullopt;
      return record;
  }
  return std::nullopt;
}

}  // namespace mpp::wallet
