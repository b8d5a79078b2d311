// What `mpp quote` prints: the challenges a service offered and what mpp would do with each, as a table
// for people or one JSON line for scripts; and the price list of `quote --discover`. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "llm/discovery.h"
#include "mpp/challenge.h"
#include "mpp/fee_quote.h"
#include "mpp/selection.h"

namespace mpp::cli {

// One probe's findings, judged by the same EvaluateChallenges/ChooseChallenge calls chat makes.
struct QuoteReport {
  std::string http_method;
  std::string url;
  long status = 0;                                   // 2xx: the call is free
  std::vector<protocol::ChallengeVerdict> verdicts;  // every usable Payment challenge, in the server's order
  std::vector<protocol::RejectedChallenge>
      rejected;                       // challenges that could not be parsed or are other schemes
  std::size_t more_rejected = 0;      // rejected ones beyond those listed
  std::optional<std::size_t> chosen;  // index into verdicts: what chat would pay
  std::vector<std::string> choices;   // protocol::ExplainChoices, one per verdict (empty: not explained)
  // The body the price is for (the service's price depends on it): its size and the model it names.
  std::optional<std::size_t> body_bytes;
  std::string body_model;
  std::string budget_refusal;             // non-empty: the daily budget would refuse the chosen one
  std::optional<protocol::FeeQuote> fee;  // the chosen one's network fee and the payer's balance
  std::string cost_refusal;               // non-empty: the fee ceiling, the cap or the balance refuses it
  std::int64_t now = 0;                   // UNIX seconds, for "expires in ..."
};

// Why mpp would not pay the chosen challenge after all (its cost, else the daily budget); empty when
// it would.
const std::string& ChosenRefusal(const QuoteReport& report);

// The choice line for challenge `i`: report.choices[i], or the refusal of the chosen one (its cost or
// the daily budget); empty when the report has no explanations.
std::string ChoiceText(const QuoteReport& report, std::size_t i);

// True when the report names a price: a free (2xx) answer or at least one usable challenge.
bool HasPrice(const QuoteReport& report);

// The human table: a header line, the body it prices, then one block per challenge (amount in token and
// base units, token, chain, recipient, expiry, fee payer, the chosen one's network fee, total and the
// payer's balance, modes, splits, description, verdict, choice, id, realm), then the unusable ones and
// what mpp would pay. "free: ..." for a 2xx. Server text is display-safe.
std::string RenderQuoteText(const QuoteReport& report);

// {"method","url","status","free","would_pay":index|null,"body_bytes"?,"body_model"?,
// "challenges":[...],"unusable":[...]} as one line ending in '\n'; each challenge has "verdict" and
// "reason" (chosen, or why not); the chosen one also has "network_fee" ({max, max_base_units, gas_limit,
// max_fee_per_gas_wei, gas_from_rpc, price_from_rpc}, or null when the server pays it) and
// "balance_base_units" (or null). Amounts are strings, in token units ("amount") and base units
// ("amount_base_units").
std::string RenderQuoteJson(const QuoteReport& report);

// "in 4m 59s", "expired 2h 3m ago", "now".
std::string RelativeTime(std::int64_t seconds_from_now);

// The price list from a service's OpenAPI document: one aligned row per offer (method, path, intent,
// payment method, amount, currency, description), the row for `chat_path` marked with '*'.
std::string RenderOffersText(const std::string& document_url, const std::vector<llm::PaymentOffer>& offers,
                             const std::string& chat_path);

// {"url":...,"offers":[{"method","path","intent","payment_method","amount","amount_text","currency",
// "description","chat"}]} as one line ending in '\n'; amount is base units or null (dynamic).
std::string RenderOffersJson(const std::string& document_url, const std::vector<llm::PaymentOffer>& offers,
                             const std::string& chat_path);

}  // namespace mpp::cli
