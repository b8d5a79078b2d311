// Options every paying command shares (network, RPC, caps, currencies, key, verbosity), and their
// resolution into the flow's policy: flag, then environment, then built-in default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config.h"
#include "cli/confirm.h"
#include "cli/price_drift.h"
#include "mpp/probe_retry.h"
#include "mpp/selection.h"
#include "net/http.h"
#include "tempo/chains.h"
#include "util/error.h"
#include "wallet/env.h"

namespace CLI {
class App;
}

namespace mpp::cli {

// As given on the command line; empty means "not given".
struct PaymentFlags {
  std::string network;
  std::string rpc_url;
  std::optional<std::uint64_t> chain_id;
  std::string max_amount;
  std::string max_fee;
  std::string daily_limit;
  std::string intent;       // auto, charge or session
  std::string max_deposit;  // token units
  std::string escrow;       // the channel escrow to trust instead of TIP-1034's
  std::vector<std::string> currencies;
  std::vector<std::string> excluded_currencies;
  std::string wallet;
  std::string dump_credential;
  std::string config_file;
  std::string password_file;
  std::string max_response;  // a byte size: digits with an optional K, M or G (binary units)
  std::string retries;       // a count, 0 to protocol::kMaxProbeRetries
  bool confirm = false;      // --confirm (chat only: AddConfirmFlag)
  std::string max_drift;     // --max-drift (chat and quote: AddMaxDriftFlag): "20%", "20" or "off"
  double timeout_s = 0;
  double connect_timeout_s = 0;
  int verbosity = 0;
};

// "65536", "512K", "64M", "1G" (binary units, K/M/G or KiB/MiB/GiB, case-insensitive) as bytes;
// nullopt for anything else, zero, or a size that does not fit.
std::optional<std::size_t> ParseByteSize(std::string_view text);

void AddPaymentFlags(CLI::App& app, PaymentFlags& flags);
// --confirm, for the commands that pay for what they print (chat).
void AddConfirmFlag(CLI::App& app, PaymentFlags& flags);

// --max-drift, for the commands that compare a 402 with the published price (chat, quote).
void AddMaxDriftFlag(CLI::App& app, PaymentFlags& flags);

// Everything a paying command needs, resolved and validated.
struct PaymentSettings {
  const tempo::Chain* chain = nullptr;  // the chosen network (for tokens and the default RPC)
  std::string rpc_url;
  protocol::PayPolicy policy;
  std::string wallet;  // from --wallet or MPP_WALLET; empty: the default wallet
  std::string password_file;
  std::optional<U256> daily_limit;  // budget.daily; nullopt: none
  // Warn when a payment channel has held its deposit longer than this (seconds; 0: never).
  std::int64_t channel_warn_age = 7 * 24 * 3600;
  std::string dump_credential;
  net::TransportLimits limits;
  int probe_retries = protocol::kDefaultProbeRetries;  // FlowSettings::probe_retries
  ConfirmRule confirm;                                 // --confirm, confirm_above
  // How far above a published price a 402 may ask (percent; nullopt: off); --max-drift, MPP_MAX_DRIFT,
  // max_drift, else kDefaultMaxDriftPercent. `max_drift_given`: set somewhere (then the service's
  // published price list is fetched too; the default compares only a template's last price).
  std::optional<std::uint32_t> max_drift = kDefaultMaxDriftPercent;
  bool max_drift_given = false;
};

// Each value from the flag, else the environment `env` (MPP_NETWORK, MPP_RPC_URL, MPP_MAX_AMOUNT,
// MPP_MAX_FEE, MPP_DAILY_LIMIT, MPP_WALLET, MPP_INTENT, MPP_MAX_DEPOSIT, MPP_CHANNEL_WARN_AGE,
// MPP_RETRIES, MPP_CONFIRM_ABOVE, MPP_MAX_DRIFT), else the config file (network, rpc_url, max_amount,
// max_fee, budget.daily, wallet, intent, max_deposit, retries, confirm_above: an amount or "off", max_drift;
// channel_warn_age: "7d", "12h", "30m", seconds, or "off"; intent and max_deposit may
// also be set per service in [services.NAME], which wins over the top-level key when `service` is that
// NAME), else the default. Checks every value; errors are kUsage and name where the value came from.
Result<PaymentSettings> ResolvePaymentSettings(const PaymentFlags& flags, const ConfigValues& config,
                                               const wallet::EnvLookup& env, std::string_view service = {});

// Loads the config file named by --config (or the default one, found through `env`) and resolves the
// settings.
Result<PaymentSettings> ResolvePaymentSettings(const PaymentFlags& flags, const wallet::EnvLookup& env);

}  // namespace mpp::cli
