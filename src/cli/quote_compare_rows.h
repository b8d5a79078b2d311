// `mpp quote --compare`: one row per service and model, made from that probe's QuoteReport, sorted by
// what the call would cost, and rendered as a table or one JSON line. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/quote_render.h"
#include "crypto/address.h"
#include "util/u256.h"

namespace mpp::cli {

struct CompareRow {
  std::string service;
  std::string model;        // the model the request names; empty: the service picks
  std::string given_model;  // the -m value it was probed for; empty: the service's default
  std::string url;
  std::string error;  // non-empty: the probe failed (no price); the rest but the names is empty
  bool free = false;  // the service answered 2xx without asking for payment
  // The offer chat would pay (else the first priced one): its price, intent and token.
  std::optional<U256> price;
  std::string intent;  // "charge" or "session" (a session's price is per unit)
  std::string unit;    // a session's unit type, else empty
  crypto::Address currency;
  std::uint64_t chain_id = 0;
  std::optional<U256> fee;  // the most the network fee can be; 0 when sponsored; nullopt: not estimated
  bool sponsored = false;   // the server's fee payer pays the network fee
  bool fits = false;        // mpp would pay it under the caps and today's budget
  std::string why_not;      // when it does not fit: which cap, the budget, or the offers' refusal
};

// The row for one probe's report. A report with nothing payable takes the price of its first offer in
// a known token (else its first offer) and that offer's refusal as why_not; `why_no_price`
// (protocol::ExplainRefusal's text) is used when the offer says nothing, and as the error when no
// usable challenge came back.
CompareRow RowFromReport(const std::string& service, const std::string& model, const QuoteReport& report,
                         const std::string& why_no_price);

// A row for a probe that failed before any price was known.
CompareRow ErrorRow(const std::string& service, const std::string& model, const std::string& url,
                    const std::string& error);

// price + fee, saturating; nullopt without a price.
std::optional<U256> RowTotal(const CompareRow& row);

// Rows with a price first, by total cost (free ones at the top), then those that fit before those that
// do not at the same cost; rows without a price (errors) last. Stable: ties keep the given order.
void SortRows(std::vector<CompareRow>& rows);

// The cheapest row that fits (the first after SortRows), or nullptr.
const CompareRow* CheapestFitting(const std::vector<CompareRow>& rows);

// One aligned line per row (service, model, price, fee, total, intent, token, fits) under a header,
// then one "service: why" line per row that does not fit or failed. Server text is display-safe.
std::string RenderCompareText(const std::vector<CompareRow>& rows);

// {"rows":[{"service","model","url","free","price","price_base_units","fee","fee_base_units",
// "sponsored","total","total_base_units","intent","unit","currency","token","chain_id","fits",
// "reason","error"}]} as one line ending in '\n'; absent values are null.
std::string RenderCompareJson(const std::vector<CompareRow>& rows);

}  // namespace mpp::cli
