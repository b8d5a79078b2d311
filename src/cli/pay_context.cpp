#include "cli/pay_context.h"

#include <unistd.h>

#include <algorithm>

#include "cli/confirm.h"
#include "tempo/chains.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/message.h"
#include "wallet/env.h"
#include "wallet/journal.h"
#include "wallet/key_resolution.h"
#include "wallet/password.h"
#include "wallet/paths.h"
#include "wallet/reconcile.h"
#include "wallet/store.h"

namespace mpp::cli {
namespace {

// RPC calls made while paying must not stall the payment: short timeouts, then defaults.
constexpr long kRpcConnectTimeoutMs = 3'000;
constexpr long kRpcTotalTimeoutMs = 10'000;
// The reconcile before a paid call may delay it by this much at most.
constexpr long kReconcileTimeoutMs = 300;

// "7 days", "12 h", "30 min", "45 s".
std::string AgeText(std::int64_t seconds) {
  if (seconds % 86400 == 0) return std::to_string(seconds / 86400) + (seconds == 86400 ? " day" : " days");
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + " h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds) + " s";
}

}  // namespace

Result<protocol::KeySource> WalletKeySource(const PaymentSettings& settings, const wallet::EnvLookup& env) {
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return paths.error();
  wallet::PasswordSources sources;
  if (!settings.password_file.empty()) sources.password_file = settings.password_file;
  sources.allow_prompt = isatty(STDIN_FILENO) == 1;
  std::string wallet_flag = settings.wallet;
  wallet::Paths store_paths = *paths;
  protocol::KeySource keys = [store_paths, sources, wallet_flag, env]() -> Result<crypto::PrivateKey> {
    wallet::WalletStore store(store_paths);
    wallet::PasswordProvider password = [&](std::string_view name) {
      return wallet::ObtainPassword(sources, env, wallet::PasswordPurpose::kUnlock, name);
    };
    std::optional<std::string_view> flag;
    if (!wallet_flag.empty()) flag = wallet_flag;
    auto key = wallet::ResolveSigningKey(store, env, flag, password);
    if (!key) return key.error();
    msg::Verbose("signing with " + key->origin);
    return std::move(key->key);
  };
  return keys;
}

Result<std::unique_ptr<PayContext>> PayContext::Open(const PaymentSettings& settings,
                                                     const Services& services) {
  auto keys = WalletKeySource(settings, services.env);
  if (!keys) return keys.error();
  return Open(settings, std::move(*keys), services);
}

Result<std::unique_ptr<PayContext>> PayContext::Open(const PaymentSettings& settings,
                                                     protocol::KeySource keys, const Services& services,
                                                     BatchBudget* batch_budget) {
  auto paths = wallet::ResolvePaths(services.env);
  if (!paths) return paths.error();

  std::unique_ptr<PayContext> context(new PayContext());
  context->settings_ = settings;
  context->services_ = services;
  context->http_ = services.transport(settings.limits);
  context->side_http_ = services.transport(settings.limits);
  net::TransportLimits rpc_limits;
  rpc_limits.connect_timeout_ms = kRpcConnectTimeoutMs;
  rpc_limits.total_timeout_ms = kRpcTotalTimeoutMs;
  context->rpc_http_ = services.transport(rpc_limits);
  context->rpc_ = std::make_unique<tempo::RpcClient>(settings.rpc_url, *context->rpc_http_);

  std::optional<wallet::DailyBudget> budget;
  if (settings.daily_limit) budget = wallet::DailyBudget{*settings.daily_limit, std::nullopt};
  context->ledger_ = std::make_unique<wallet::Journal>(paths->JournalFile(), budget, services.now);
  context->usage_log_ = std::make_unique<wallet::Journal>(paths->UsageFile(), std::nullopt, services.now);
  context->channels_ = std::make_unique<wallet::ChannelStore>(paths->ChannelsDir(), paths->JournalFile());

  protocol::PaymentLedger* ledger = context->ledger_.get();
  if (batch_budget != nullptr) {
    context->budgeted_ = std::make_unique<BudgetedLedger>(*context->ledger_, *batch_budget);
    ledger = context->budgeted_.get();
  }

  protocol::FlowSettings flow_settings;
  flow_settings.policy = settings.policy;
  flow_settings.dump_credential_path = settings.dump_credential;
  context->flow_ = std::make_unique<protocol::PayFlow>(*context->http_, context->rpc_.get(), *ledger,
                                                       std::move(keys), std::move(flow_settings),
                                                       context->side_http_.get(), context->channels_.get());
  protocol::ProbeRetry retry;
  retry.retries = settings.probe_retries;
  retry.max_wait_ms = std::min<std::int64_t>(protocol::kMaxRetryWaitMs, settings.limits.total_timeout_ms);
  retry.announce = isatty(STDERR_FILENO) == 1;
  context->flow_->SetProbeRetry(std::move(retry));
  auto confirm = ConfirmHook(settings.confirm, settings.policy);
  if (batch_budget != nullptr) {
    // A price above what is left cannot fit whatever its fee: refused before anything is signed.
    context->flow_->SetBeforePaying(
        [batch_budget, confirm = std::move(confirm)](const protocol::ChallengeVerdict& chosen) -> Status {
          if (auto fits = batch_budget->CheckFits(chosen.amount); !fits) return fits;
          return confirm ? confirm(chosen) : Status{};
        });
  } else {
    context->flow_->SetBeforePaying(std::move(confirm));
  }
  return context;
}

void PayContext::CheckBeforePaying(protocol::PayFlow::BeforePaying check) {
  auto confirm = ConfirmHook(settings_.confirm, settings_.policy);
  if (!check) {
    flow_->SetBeforePaying(std::move(confirm));
    return;
  }
  flow_->SetBeforePaying([check = std::move(check),
                          confirm = std::move(confirm)](const protocol::ChallengeVerdict& chosen) -> Status {
    if (auto go = check(chosen); !go) return go;
    return confirm ? confirm(chosen) : Status{};
  });
}

void PayContext::WarnAboutOldChannels() {
  if (settings_.channel_warn_age <= 0) return;
  auto channels = channels_->List();
  if (!channels) {
    msg::Warning("the channel store cannot be read (" + channels.error().message + ")");
    return;
  }
  const std::int64_t cutoff = services_.now() - settings_.channel_warn_age;
  std::size_t old = 0;
  U256 held;
  for (const auto& c : *channels) {
    if (c.status != protocol::ChannelStatus::kOpen || c.opened_at > cutoff) continue;
    if (c.scope.chain_id != settings_.policy.chain_id) continue;
    ++old;
    held = U256::SaturatingAdd(held, U256::CheckedSub(c.deposit, c.cumulative).value_or(U256()));
  }
  if (old == 0) return;
  msg::Warning(std::to_string(old) + (old == 1 ? " payment channel has" : " payment channels have") +
               " held a deposit for over " + AgeText(settings_.channel_warn_age) + ", " +
               FormatTokenAmount(held) + " of it unspent; 'mpp wallet channels close --all' returns it " +
               "(channel_warn_age in the config changes when this shows)");
}

void PayContext::ReconcileEarlierPayments() {
  WarnAboutOldChannels();
  net::TransportLimits limits;
  limits.connect_timeout_ms = kReconcileTimeoutMs;
  limits.total_timeout_ms = kReconcileTimeoutMs;
  std::unique_ptr<net::HttpTransport> transport = services_.transport(limits);
  tempo::RpcClient rpc(settings_.rpc_url, *transport);
  wallet::ReconcileScope scope;
  scope.chain_id = settings_.policy.chain_id;
  scope.signed_since = services_.now() - wallet::kBudgetWindowSeconds;
  auto report = wallet::Reconcile(*ledger_, rpc, scope);
  if (!report) {
    msg::Verbose("could not ask the chain about earlier payments of unknown outcome (" +
                 report.error().message + "); 'mpp wallet reconcile' retries");
    return;
  }
  for (const auto& line : report->lines) {
    std::string text = wallet::RenderReconcileLine(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    msg::Verbose("earlier payment " + text);
  }
}

Error PayContext::AnswerLost(const protocol::PaymentSummary& payment, const std::string& why) {
  std::string text = "the paid answer could not be written (" + why + "): " + PaymentSummaryLine(payment) +
                     "; the payment stands";
  if (auto noted = RecordAnswerLost(payment, why); noted) {
    text += " and the journal marks its answer lost ('mpp wallet history')";
  } else {
    text += " (the journal could not note the lost answer: " + noted.error().message + ")";
  }
  return MakeError(ErrorKind::kUnexpected, text);
}

Status PayContext::RecordAnswerLost(const protocol::PaymentSummary& payment, const std::string& why) {
  return ledger_->RecordLost(payment.payment_id, why);
}

void PayContext::RecordUsage(const protocol::PaymentSummary& payment, const wallet::TokenUsage& usage) {
  if (auto noted = usage_log_->RecordUsage(payment.payment_id, usage); !noted) {
    msg::Warning("the journal could not note the answer's token usage: " + noted.error().message);
  }
}

std::string PaymentSummaryLine(const protocol::PaymentSummary& payment) {
  std::string token = payment.currency.ToChecksumHex();
  if (const auto* chain = tempo::FindChainById(payment.chain_id)) {
    if (const auto* known = tempo::FindToken(*chain, payment.currency)) token = std::string(known->symbol);
  }
  std::string fee;
  if (payment.fee_paid) {
    fee = "network fee " + FormatTokenAmount(*payment.fee_paid);
  } else if (!payment.fee.IsZero()) {
    fee = "network fee up to " + FormatTokenAmount(payment.fee);
  } else if (payment.fee_by_service) {
    fee = "network fee paid by the service";
  }
  std::string line = "paid " + FormatTokenAmount(payment.amount) + " " + token;
  if (payment.channel) {
    // A session: what this call added, on which channel, and how much of its deposit is signed away.
    line += " by voucher on channel " + ToHex(ByteView(payment.channel->channel_id.data(), 32)) + " (" +
            FormatTokenAmount(payment.channel->cumulative) + " of its " +
            FormatTokenAmount(payment.channel->deposit) + " " + token + " deposit signed)";
    if (!fee.empty()) line += ", " + fee;
    if (!payment.tx_hash.empty()) line += ", opened by tx " + payment.tx_hash;
    return line;
  }
  if (payment.fee_paid || !payment.fee.IsZero()) {
    line += " + " + fee;
  } else if (payment.fee_by_service) {
    line += " (" + fee + ")";
  }
  if (!payment.moved_funds) line = "proved identity (free)";
  if (!payment.tx_hash.empty()) line += ", tx " + payment.tx_hash;
  return line;
}

}  // namespace mpp::cli
