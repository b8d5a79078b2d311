// mpp quote
#pragma once

#include <cstdint>
#include <string>

#include "cli/command.h"
#include "cli/command_services.h"
#include "cli/payment_options.h"
#include "cli/quote_render.h"
#include "net/http.h"
#include "util/u256.h"
#include "wallet/env.h"

namespace mpp::cli {

Action SetupQuote(CLI::App& sub);

// What `request` would cost, judged from the server's `response` (its 402) as chat would before paying:
// every challenge's verdict, the chosen one, its network fee quote, and the daily budget's verdict.
QuoteReport JudgeQuote(const net::HttpRequest& request, const net::HttpResponse& response,
                       const PaymentSettings& settings, const Services& services);

// Why the daily budget (--daily-limit, budget.daily) would refuse `amount` now, counting what the
// journal holds for the last day; empty when it would not or there is none.
std::string BudgetRefusal(const PaymentSettings& settings, const U256& amount, std::int64_t now,
                          const wallet::EnvLookup& env);

}  // namespace mpp::cli
