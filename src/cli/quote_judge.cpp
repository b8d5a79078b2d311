#include "cli/quote_judge.h"

#include <memory>

#include <rapidjson/document.h>

#include "mpp/charge_transaction.h"
#include "mpp/fee_quote.h"
#include "tempo/rpc.h"
#include "util/json_fields.h"
#include "util/message.h"
#include "wallet/budget.h"
#include "wallet/journal.h"
#include "wallet/key_hex.h"
#include "wallet/key_resolution.h"
#include "wallet/paths.h"
#include "wallet/store.h"

namespace mpp::cli {

std::string BudgetRefusal(const PaymentSettings& settings, const U256& amount, std::int64_t now,
                          const wallet::EnvLookup& env) {
  if (!settings.daily_limit) return {};
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return {};
  auto contents = wallet::Journal(paths->JournalFile()).Read();
  if (!contents) {
    msg::Warning("the daily budget could not be checked: " + contents.error().message);
    return {};
  }
  // The same rule the journal applies when it is about to sign (every chain counts).
  U256 spent = wallet::SpentInWindow(contents->records, now, std::nullopt);
  auto allowed =
      wallet::CheckDailyBudget(wallet::DailyBudget{*settings.daily_limit, std::nullopt}, spent, amount);
  return allowed ? std::string() : allowed.error().message;
}

namespace {

// The "model" a JSON request body names, or empty.
std::string ModelOf(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  return std::string(json::StringOrEmpty(doc, "model"));
}

// The payer's address when it is known without a password: MPP_PRIVATE_KEY's, else the wallet's.
std::optional<crypto::Address> KnownPayer(const PaymentSettings& settings, const wallet::EnvLookup& env) {
  if (const char* hex = env("MPP_PRIVATE_KEY"); hex != nullptr && *hex != '\0') {
    auto key = wallet::ParsePrivateKeyHex(hex, "MPP_PRIVATE_KEY");
    if (!key) return std::nullopt;
    return crypto::Address::FromPublicKey(key->GetPublicKey());
  }
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return std::nullopt;
  wallet::WalletStore store(*paths);
  std::optional<std::string_view> flag;
  if (!settings.wallet.empty()) flag = settings.wallet;
  auto name = wallet::ResolveWalletName(store, env, flag);
  if (!name) return std::nullopt;
  auto address = store.AddressOf(*name);
  if (!address) return std::nullopt;
  return *address;
}

// What paying `chosen` would cost: the same fee quote and checks chat makes before it signs. Without
// a known payer the fee is estimated for no one in particular and the balance is not known.
void JudgeCost(QuoteReport& report, const protocol::ChallengeVerdict& chosen, const PaymentSettings& settings,
               const Services& services) {
  if (!chosen.charge || chosen.charge->mode == protocol::PayMode::kProof) return;
  const protocol::ChargeRequest& charge = chosen.charge->request;
  net::TransportLimits limits;
  limits.connect_timeout_ms = 3'000;
  limits.total_timeout_ms = 10'000;
  std::unique_ptr<net::HttpTransport> transport = services.transport(limits);
  tempo::RpcClient rpc(settings.rpc_url, *transport);
  const std::optional<crypto::Address> payer = KnownPayer(settings, services.env);
  auto draft = protocol::BuildChargeTransaction(chosen.challenge, charge, {}, report.now);
  auto fee = protocol::QuoteFees(&rpc, charge.chain_id, payer.value_or(crypto::Address{}), charge.currency,
                                 draft, chosen.charge->mode != protocol::PayMode::kPullSponsored);
  if (!fee) {
    report.cost_refusal = fee.error().message;
    return;
  }
  if (!payer) fee->balance.reset();
  report.fee = *fee;
  const protocol::CostContext cost{charge.amount, charge.currency, charge.chain_id,
                                   payer.value_or(crypto::Address{}), settings.rpc_url};
  if (auto allowed = protocol::CheckCost(*fee, cost, settings.policy); !allowed)
    report.cost_refusal = allowed.error().message;
}

}  // namespace

QuoteReport JudgeQuote(const net::HttpRequest& request, const net::HttpResponse& response,
                       const PaymentSettings& settings, const Services& services) {
  QuoteReport report;
  report.http_method = request.method;
  report.url = request.url;
  report.status = response.status;
  report.now = services.now();
  if (!request.body.empty()) {
    report.body_bytes = request.body.size();
    report.body_model = ModelOf(request.body);
  }
  if (response.status != 402) return report;
  protocol::ChallengeList parsed = protocol::ParseChallenges(response.HeaderValues("WWW-Authenticate"));
  report.verdicts = protocol::EvaluateChallenges(parsed.challenges, settings.policy, report.now);
  report.rejected = std::move(parsed.rejected);
  report.more_rejected = parsed.more_rejected;
  const protocol::ChallengeVerdict* chosen = protocol::ChooseChallenge(report.verdicts, settings.policy);
  if (chosen != nullptr) {
    report.chosen = static_cast<std::size_t>(chosen - report.verdicts.data());
    JudgeCost(report, *chosen, settings, services);
    const U256 fee = report.fee ? report.fee->max_fee : U256();
    report.budget_refusal =
        BudgetRefusal(settings, U256::SaturatingAdd(chosen->amount, fee), report.now, services.env);
  }
  report.choices = protocol::ExplainChoices(report.verdicts, chosen, settings.policy);
  return report;
}

}  // namespace mpp::cli
