// RenderQuoteJson and RenderOffersJson (declared in quote_render.h).
#include "cli/quote_fields.h"
#include "cli/quote_render.h"
#include "util/amount.h"
#include "util/json_writer.h"

namespace mpp::cli {
namespace {

using json::Writer;

void Amounts(Writer& w, const U256& amount) {
  json::WriteField(w, "amount", FormatTokenAmount(amount));
  json::WriteField(w, "amount_base_units", amount.ToDecimal());
}

void Request(Writer& w, const protocol::ChargeRequest& r) {
  Amounts(w, r.amount);
  json::WriteField(w, "currency", r.currency.ToChecksumHex());
  json::WriteOptionalField(w, "token", TokenSymbol(r.currency, r.chain_id));
  w.Key("chain_id");
  w.Uint64(r.chain_id);
  json::WriteOptionalField(w, "chain", KnownChainName(r.chain_id));
  json::WriteField(w, "recipient", r.recipient.ToChecksumHex());
  w.Key("fee_payer");
  w.Bool(r.fee_payer);
  w.Key("modes");
  w.StartArray();
  for (const auto& name : ModeNames(r)) w.String(name.c_str());
  w.EndArray();
  w.Key("splits");
  w.StartArray();
  for (const auto& split : r.splits) {
    w.StartObject();
    Amounts(w, split.amount);
    json::WriteField(w, "recipient", split.recipient.ToChecksumHex());
    w.EndObject();
  }
  w.EndArray();
}

void Session(Writer& w, const protocol::SessionTerms& terms) {
  const protocol::SessionRequest& r = terms.request;
  Amounts(w, r.amount);
  json::WriteField(w, "unit_type", r.unit_type);
  json::WriteField(w, "currency", r.currency.ToChecksumHex());
  json::WriteOptionalField(w, "token", TokenSymbol(r.currency, terms.chain_id));
  w.Key("chain_id");
  w.Uint64(terms.chain_id);
  json::WriteOptionalField(w, "chain", KnownChainName(terms.chain_id));
  json::WriteField(w, "recipient", r.recipient.ToChecksumHex());
  json::WriteField(w, "escrow", r.Escrow().ToChecksumHex());
  json::WriteField(
      w, "session_protocol",
      r.session_protocol == protocol::SessionProtocol::kV2 ? std::string("v2") : std::string("v1"));
  w.Key("fee_payer");
  w.Bool(r.fee_payer);
  json::WriteOptionalField(
      w, "suggested_deposit_base_units",
      r.suggested_deposit ? std::optional<std::string>(r.suggested_deposit->ToDecimal()) : std::nullopt);
  if (!terms.deposit.IsZero()) {
    json::WriteField(w, "deposit", FormatTokenAmount(terms.deposit));
    json::WriteField(w, "deposit_base_units", terms.deposit.ToDecimal());
  }
  json::WriteField(w, "min_voucher_delta_base_units", r.min_voucher_delta.ToDecimal());
}

void Cost(Writer& w, const protocol::FeeQuote& fee) {
  w.Key("network_fee");
  if (fee.self_paid) {
    w.StartObject();
    json::WriteField(w, "max", FormatTokenAmount(fee.max_fee));
    json::WriteField(w, "max_base_units", fee.max_fee.ToDecimal());
    w.Key("gas_limit");
    w.Uint64(fee.values.gas_limit);
    json::WriteField(w, "max_fee_per_gas_wei", fee.values.max_fee_per_gas.ToDecimal());
    w.Key("gas_from_rpc");
    w.Bool(fee.gas_from_rpc);
    w.Key("price_from_rpc");
    w.Bool(fee.price_from_rpc);
    w.EndObject();
  } else {
    w.Null();
  }
  json::WriteOptionalField(w, "balance_base_units",
                           fee.balance ? std::optional<std::string>(fee.balance->ToDecimal()) : std::nullopt);
}

void Verdict(Writer& w, const QuoteReport& report, std::size_t i) {
  const protocol::ChallengeVerdict& v = report.verdicts[i];
  const protocol::Challenge& c = v.challenge;
  bool chosen = report.chosen == i;
  w.StartObject();
  json::WriteField(w, "id", c.id);
  json::WriteField(w, "realm", c.realm);
  json::WriteField(w, "method", c.method);
  json::WriteField(w, "intent", c.intent);
  json::WriteOptionalField(w, "expires", c.expires);
  json::WriteOptionalField(w, "description", c.description);
  if (v.charge) Request(w, v.charge->request);
  if (v.session) Session(w, *v.session);
  const std::string& refusal = ChosenRefusal(report);
  w.Key("payable");
  w.Bool(v.acceptable && !(chosen && !refusal.empty()));
  w.Key("chosen");
  w.Bool(chosen);
  if (v.acceptable && v.charge) json::WriteField(w, "pay_mode", protocol::PayModeName(v.charge->mode));
  if (chosen && report.fee) Cost(w, *report.fee);
  json::WriteField(w, "verdict", chosen && !refusal.empty() ? refusal : v.reason);
  if (std::string choice = ChoiceText(report, i); !choice.empty()) json::WriteField(w, "reason", choice);
  w.EndObject();
}

}  // namespace

std::string RenderQuoteJson(const QuoteReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  bool free = report.status >= 200 && report.status < 300;
  w.StartObject();
  json::WriteField(w, "method", report.http_method);
  json::WriteField(w, "url", report.url);
  w.Key("status");
  w.Int64(report.status);
  w.Key("free");
  w.Bool(free);
  w.Key("would_pay");
  if (report.chosen && ChosenRefusal(report).empty()) {
    w.Uint64(*report.chosen);
  } else {
    w.Null();
  }
  if (report.body_bytes) {
    w.Key("body_bytes");
    w.Uint64(*report.body_bytes);
    if (!report.body_model.empty()) json::WriteField(w, "body_model", report.body_model);
  }
  w.Key("challenges");
  w.StartArray();
  for (std::size_t i = 0; i < report.verdicts.size(); ++i) Verdict(w, report, i);
  w.EndArray();
  w.Key("unusable");
  w.StartArray();
  for (const auto& r : report.rejected) {
    w.StartObject();
    json::WriteField(w, "scheme", r.scheme);
    json::WriteField(w, "id", r.id);
    json::WriteField(w, "reason", r.reason);
    w.EndObject();
  }
  w.EndArray();
  w.Key("more_unusable");
  w.Uint64(report.more_rejected);
  w.EndObject();
  return json::BufferText(buffer) + "\n";
}

std::string RenderOffersJson(const std::string& document_url, const std::vector<llm::PaymentOffer>& offers,
                             const std::string& chat_path) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  json::WriteField(w, "url", document_url);
  w.Key("offers");
  w.StartArray();
  for (const auto& offer : offers) {
    w.StartObject();
    json::WriteField(w, "method", offer.http_method);
    json::WriteField(w, "path", offer.path);
    json::WriteField(w, "intent", offer.intent);
    json::WriteField(w, "payment_method", offer.payment_method);
    json::WriteOptionalField(w, "amount", offer.amount);
    json::WriteField(w, "amount_text", llm::OfferAmountText(offer));
    json::WriteField(w, "currency", offer.currency);
    json::WriteField(w, "description", offer.description);
    w.Key("chat");
    w.Bool(offer.path == chat_path);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json::BufferText(buffer) + "\n";
}

}  // namespace mpp::cli
