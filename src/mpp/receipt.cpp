#include "mpp/receipt.h"

#include "util/base64url.h"
#include "util/json_reader.h"
#include "util/rfc3339.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

constexpr std::size_t kMaxReceiptFieldChars = 200;

Error Unreadable(const std::string& why) {
  return MakeError(ErrorKind::kNetwork, "Payment-Receipt header is unreadable: " + why);
}

std::string Field(const rapidjson::Value& object, const char* name) {
  auto value = json::OptionalString(object, name);
  return value ? DisplayText(*value, kMaxReceiptFieldChars) : std::string();
}

bool EqualIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string Quoted(std::string_view text) { return text.empty() ? "none" : "'" + std::string(text) + "'"; }

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

std::optional<std::string> CheckReceipt(const Receipt& receipt, const ReceiptExpectation& expected) {
  if (!receipt.IsSuccess()) return "its status is " + Quoted(receipt.status) + ", not 'success'";
  if (receipt.method != expected.method) {
    return "its method is " + Quoted(receipt.method) + ", not '" + std::string(expected.method) + "'";
  }
  if (!expected.reference.empty() && !EqualIgnoringCase(receipt.reference, expected.reference)) {
    return "its reference " + Quoted(receipt.reference) + " is not the transaction mpp signed (" +
           std::string(expected.reference) + ")";
  }
  return std::nullopt;
}

}  // namespace mpp::protocol
