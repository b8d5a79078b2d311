#include "llm/conversation_record.h"

#include <utility>

#include "llm/json_text.h"
#include "util/json_fields.h"
#include "util/json_reader.h"
#include "util/rfc3339.h"
#include "util/utc_time.h"

namespace mpp::llm {
namespace {

constexpr std::size_t kMaxLineBytes = 64 * 1024 * 1024;

Error Damaged(const std::string& why) {
  return MakeError(ErrorKind::kUnexpected, "damaged conversation record: " + why);
}

std::int64_t TokenField(const rapidjson::Value& usage, const char* name) {
  auto it = usage.FindMember(name);
  return it != usage.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

}  // namespace

rapidjson::Value ExchangeRecordJson(const ExchangeRecord& record,
                                    rapidjson::Document::AllocatorType& allocator) {
  rapidjson::Value doc(rapidjson::kObjectType);
  doc.AddMember("time", StringValue(FormatUtcTimestamp(record.unix_time), allocator), allocator);
  doc.AddMember("service", StringValue(record.service, allocator), allocator);
  doc.AddMember("model", StringValue(record.model, allocator), allocator);
  rapidjson::Value messages(rapidjson::kArrayType);
  for (const auto& message : record.messages) messages.PushBack(MessageToJson(message, allocator), allocator);
  doc.AddMember("messages", messages, allocator);
  doc.AddMember("response", StringValue(record.response, allocator), allocator);
  if (record.usage) {
    rapidjson::Value usage(rapidjson::kObjectType);
    usage.AddMember("prompt_tokens", static_cast<int64_t>(record.usage->prompt_tokens), allocator);
    usage.AddMember("completion_tokens", static_cast<int64_t>(record.usage->completion_tokens), allocator);
    usage.AddMember("total_tokens", static_cast<int64_t>(record.usage->total_tokens), allocator);
    doc.AddMember("usage", usage, allocator);
  }
  if (!record.paid.empty()) doc.AddMember("paid", StringValue(record.paid, allocator), allocator);
  if (!record.tx.empty()) doc.AddMember("tx", StringValue(record.tx, allocator), allocator);
  if (!record.url.empty()) doc.AddMember("url", StringValue(record.url, allocator), allocator);
  if (!record.requested_model.empty())
    doc.AddMember("requested_model", StringValue(record.requested_model, allocator), allocator);
  return doc;
}

std::string FormatExchangeLine(const ExchangeRecord& record) {
  rapidjson::Document doc;
  rapidjson::Value value = ExchangeRecordJson(record, doc.GetAllocator());
  return json::ToCompact(value) + '\n';
}

Result<ExchangeRecord> ParseExchangeLine(std::string_view line) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(line, kMaxLineBytes, doc, why)) return Damaged(why);
  if (!doc.IsObject()) return Damaged("not a JSON object");
  ExchangeRecord record;
  auto time = ParseRfc3339(json::StringOrEmpty(doc, "time"));
  if (!time) return Damaged("no valid \"time\"");
  record.unix_time = *time;
  record.service = json::StringOrEmpty(doc, "service");
  record.model = json::StringOrEmpty(doc, "model");
  auto messages = doc.FindMember("messages");
  if (messages == doc.MemberEnd() || !messages->value.IsArray()) return Damaged("no \"messages\" array");
  for (rapidjson::SizeType i = 0; i < messages->value.Size(); ++i) {
    auto message = MessageFromJson(messages->value[i], "messages[" + std::to_string(i) + "]");
    if (!message) return Damaged(message.error().message);
    record.messages.push_back(std::move(*message));
  }
  auto response = doc.FindMember("response");
  if (response == doc.MemberEnd() || !response->value.IsString()) return Damaged("no string \"response\"");
  record.response.assign(response->value.GetString(), response->value.GetStringLength());
  if (auto usage = doc.FindMember("usage"); usage != doc.MemberEnd() && usage->value.IsObject()) {
    record.usage =
        Usage{TokenField(usage->value, "prompt_tokens"), TokenField(usage->value, "completion_tokens"),
              TokenField(usage->value, "total_tokens")};
  }
  record.paid = json::StringOrEmpty(doc, "paid");
  record.tx = json::StringOrEmpty(doc, "tx");
  record.url = json::StringOrEmpty(doc, "url");
  record.requested_model = json::StringOrEmpty(doc, "requested_model");
  return record;
}

}  // namespace mpp::llm
