// Judging one probe's 402: the challenges, the one chat would pay, its network fee and whether the caps
// and today's budget allow it. Shared by `mpp quote` and `mpp quote --compare`.
#pragma once

#include <cstdint>
#include <string>

#include "cli/command_services.h"
#include "cli/payment_options.h"
#include "cli/quote_render.h"
#include "net/http.h"
#include "util/u256.h"
#include "wallet/env.h"

namespace mpp::cli {

// Why the daily budget (--daily-limit, budget.daily) would refuse `amount` now, counting what the
// journal holds for the last day; empty when it would not or there is none.
std::string BudgetRefusal(const PaymentSettings& settings, const U256& amount, std::int64_t now,
                          const wallet::EnvLookup& env);

// The report for `response` to `request`, judged by the same EvaluateChallenges/ChooseChallenge calls
// chat makes; for the chosen challenge also its fee quote (asking settings.rpc_url) and the daily budget
// (reading the journal). Never pays, never reads a key.
QuoteReport JudgeQuote(const net::HttpRequest& request, const net::HttpResponse& response,
                       const PaymentSettings& settings, const Services& services);

}  // namespace mpp::cli
