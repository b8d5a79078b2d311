#include "mpp/receipt.h"

#include "mpp/json_reader.h"
#include "mpp/rfc3339.h"
#include "mpp/text.h"
#include "util/base64url.h"

namespace mpp {
namespace {

constexpr std::size_t kMaxReceiptFieldChars = 200;

Error Unreadable(const std::string& why) {
  return MakeError(ErrorKind::kNetwork, "Payment-Receipt header is unreadable: " + why);
}

std::string Field(const rapidjson::Value& object, const char* name) {
  auto value = json::OptionalString(object, name);
  return value ? DisplayText(*value, kMaxReceiptFieldChars) : std::string();
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Receipt> ParseReceipt(std::string_view header_value) {
  std::string_view text = TrimSpace(header_value);
  if (text.size() > kMaxReceiptChars) return Unreadable("longer than " + std::to_string(kMaxReceiptChars));
  for (int i = 0; i < 2 && !text.empty() && text.back() == '='; ++i) text.remove_suffix(1);
  auto bytes = DecodeBase64Url(text);
  if (!bytes) return Unreadable("not base64url");
  rapidjson::Document doc;
  std::string why;
  std::string_view json_text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  if (!json::Parse(json_text, kMaxReceiptChars, doc, why)) return Unreadable("not JSON (" + why + ")");
  if (!doc.IsObject()) return Unreadable("not a JSON object");

  Receipt receipt;
  receipt.method = Field(doc, "method");
  receipt.status = Field(doc, "status");
  receipt.timestamp = Field(doc, "timestamp");
  receipt.timestamp_at = ParseRfc3339(receipt.timestamp);
  receipt.reference = Field(doc, "reference");
  receipt.external_id = Field(doc, "externalId");
  return receipt;
}

}  // namespace mpp
