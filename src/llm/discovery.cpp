#include "llm/discovery.h"

#include <array>
#include <utility>

#include <rapidjson/document.h>

#include "util/amount.h"
#include "util/json_fields.h"
#include "util/json_reader.h"
#include "util/text.h"
#include "util/u256.h"

namespace mpp::llm {
namespace {

constexpr std::size_t kMaxDocumentBytes = 8 * 1024 * 1024;
constexpr std::array<std::string_view, 8> kOperations = {"get",     "put",  "post",  "delete",
                                                         "options", "head", "patch", "trace"};

bool IsDigits(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text.front() == '0')) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// One offer object into `out`; false when it is malformed.
bool ReadOffer(const rapidjson::Value& value, PaymentOffer& out) {
  if (!value.IsObject()) return false;
  auto intent = value.FindMember("intent");
  auto method = value.FindMember("method");
  auto amount = value.FindMember("amount");
  if (intent == value.MemberEnd() || !intent->value.IsString() || method == value.MemberEnd() ||
      !method->value.IsString() || amount == value.MemberEnd()) {
    return false;
  }
  if (amount->value.IsNull()) {
    out.amount.reset();
  } else if (amount->value.IsString() &&
             IsDigits(std::string_view(amount->value.GetString(), amount->value.GetStringLength()))) {
    out.amount = std::string(amount->value.GetString(), amount->value.GetStringLength());
  } else {
    return false;
  }
  out.intent = DisplayText(json::StringOrEmpty(value, "intent"), 40);
  out.payment_method = DisplayText(json::StringOrEmpty(value, "method"), 40);
  out.currency = DisplayText(json::StringOrEmpty(value, "currency"), 80);
  out.description = DisplayText(json::StringOrEmpty(value, "description"), 200);
  return true;
}

void ReadPaymentInfo(const rapidjson::Value& info, PaymentOffer base, DiscoveredOffers& found) {
  auto add = [&](const rapidjson::Value& offer) {
    PaymentOffer row = base;
    if (ReadOffer(offer, row)) {
      found.offers.push_back(std::move(row));
    } else {
      ++found.skipped;
    }
  };
  if (!info.IsObject()) {
    ++found.skipped;
    return;
  }
  auto offers = info.FindMember("offers");
  if (offers == info.MemberEnd()) {
    add(info);  // the single-offer shorthand
    return;
  }
  if (!offers->value.IsArray()) {
    ++found.skipped;
    return;
  }
  for (const auto& offer : offers->value.GetArray()) add(offer);
}

}  // namespace

Result<DiscoveredOffers> ParseDiscoveryDocument(std::string_view json) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(json, kMaxDocumentBytes, doc, why)) {
    return MakeError(ErrorKind::kNetwork, "the service's OpenAPI document is not valid JSON (" + why + ")");
  }
  if (!doc.IsObject())
    return MakeError(ErrorKind::kNetwork, "the service's OpenAPI document is not a JSON object");
  auto paths = doc.FindMember("paths");
  if (paths == doc.MemberEnd() || !paths->value.IsObject()) {
    return MakeError(ErrorKind::kNetwork, "the service's OpenAPI document has no \"paths\"");
  }
  DiscoveredOffers found;
  for (const auto& path : paths->value.GetObject()) {
    if (!path.value.IsObject()) continue;
    for (const auto& operation : path.value.GetObject()) {
      std::string_view name(operation.name.GetString(), operation.name.GetStringLength());
      bool is_operation = false;
      for (std::string_view known : kOperations) is_operation = is_operation || name == known;
      if (!is_operation || !operation.value.IsObject()) continue;
      auto info = operation.value.FindMember("x-payment-info");
      if (info == operation.value.MemberEnd()) continue;
      PaymentOffer base;
      base.http_method = AsciiUpper(name);
      base.path = DisplayText(std::string_view(path.name.GetString(), path.name.GetStringLength()), 200);
      ReadPaymentInfo(info->value, std::move(base), found);
    }
  }
  return found;
}

std::string OfferAmountText(const PaymentOffer& offer) {
  if (!offer.amount) return "dynamic";
  if (offer.payment_method == "tempo" && offer.currency.starts_with("0x")) {
    if (auto units = U256::FromDecimal(*offer.amount)) return FormatTokenAmount(*units, kTip20Decimals);
  }
  return *offer.amount;
}

}  // namespace mpp::llm
