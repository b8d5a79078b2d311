// `wallet spend` output: a table for people, one JSON object for scripts, or one flat CSV for
// spreadsheets. Amounts are per token (chain and currency), as in `wallet history`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wallet/spend.h"

namespace mpp::wallet {

// The period a report covers (UNIX seconds; nullopt: open).
struct SpendPeriod {
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;
};

// The period, then sections total, by day (UTC), by service, by model, by conversation, by template:
// one row per key and token with calls, charged, fees, total, average per call and per 1000 tokens
// ("-" when no call reported tokens); then the undelivered payments, apart, and how many were not
// counted. Server-provided text is made safe for a terminal. "no settled payments" when there are none.
std::string RenderSpendText(const SpendReport& report, const SpendPeriod& period);

// {"since","until","total":[row],"by_day":[row],...,"by_template":[row],"undelivered":{"payments":[...],
// "total":[row]},"not_counted":N}; a row is {"key","chain_id","currency","token","decimals","calls",
// "charged","fees","total","avg_per_call","per_1k_tokens"(null when unknown),"tokens","calls_with_usage"}
// with amounts as decimal strings of base units. One line, newline-terminated.
std::string RenderSpendJson(const SpendReport& report, const SpendPeriod& period);

// A header row, then one row per group, key and token: group (total, day, service, model,
// conversation, template, undelivered), key, token, chain_id, currency, calls, charged, fees, total,
// avg_per_call, per_1k_tokens (empty when unknown), tokens; amounts in token units ("0.0021"). CRLF
// line ends (RFC 4180).
std::string RenderSpendCsv(const SpendReport& report);

// One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled); a field starting
// with =, +, -, @, tab or CR gets a leading ' so a spreadsheet does not run it as a formula. Text from
// a server is filtered (DisplayText) first.
std::string CsvField(std::string_view text);

}  // namespace mpp::wallet
