// `wallet history` output: one line per payment plus totals, as text for people or JSON for scripts.
#pragma once

#include <string>
#include <vector>

#include "wallet/history.h"

namespace mpp::wallet {

// A token for display: "pathUSD (testnet)" for a known token, else its address and chain id; and its
// decimals (6 when unknown, as for every TIP-20 token).
std::string HistoryTokenLabel(const TokenKey& token);
int TokenDecimals(const TokenKey& token);

// One line per payment (time, outcome, amount, token, fee, service, mode, tx, the refusal or failure
// reason, why an unknown one is still unknown, and whether its answer was lost), then totals per UTC day, per
// service and per token. Server-provided text is made safe for a terminal. "no payments" when empty.
// Channel closes (CollectCloses) are lines of their own among the payments, in time order: what came back,
// what the payee kept, how it closed, and the fee of a forced close.
std::string RenderHistoryText(const std::vector<Payment>& payments, const HistoryTotals& totals,
                              const std::vector<JournalRecord>& closes = {});

// {"payments":[...],"closes":[...],"totals":{"per_day":[...],"per_service":[...],"per_token":[...]}}
// with amounts as decimal strings of base units. One line, newline-terminated.
std::string RenderHistoryJson(const std::vector<Payment>& payments, const HistoryTotals& totals,
                              const std::vector<JournalRecord>& closes = {});

}  // namespace mpp::wallet
