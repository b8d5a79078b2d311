#include "cli/payment_options.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>

#include "util/amount.h"

namespace mpp::cli {
namespace {

constexpr const char* kDefaultMaxAmount = "0.10";

std::string FromEnv(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

// A setting's value and where it came from, for messages.
struct Setting {
  std::string value;
  std::string source;
};

Setting Pick(const std::string& flag, const char* flag_name, const char* env, const ConfigValues& config,
             const char* config_key) {
  if (!flag.empty()) return {flag, flag_name};
  if (std::string from_env = FromEnv(env); !from_env.empty()) return {from_env, env};
  if (auto from_config = config.Get(config_key)) {
    return {*from_config, std::string(config_key) + " in " + config.Origin(config_key)};
  }
  return {};
}

Result<std::vector<crypto::Address>> ParseAddresses(const std::vector<std::string>& texts, const char* flag) {
  std::vector<crypto::Address> out;
  for (const auto& text : texts) {
    auto address = crypto::Address::Parse(text);
    if (!address) {
      return MakeError(ErrorKind::kUsage, std::string(flag) + " '" + text +
                                              "' is not an address (expected 0x and 40 hex digits, EIP-55 "
                                              "checksummed if mixed case)");
    }
    out.push_back(*address);
  }
  return out;
}

long Milliseconds(double seconds, long fallback) {
  if (seconds <= 0) return fallback;
  return static_cast<long>(std::ceil(seconds * 1000));
}

}  // namespace

void AddPaymentFlags(CLI::App& app, PaymentFlags& flags) {
  app.add_option("--network", flags.network, "mainnet or testnet (env MPP_NETWORK; default mainnet)")
      ->group("Payment");
  app.add_option("--rpc-url", flags.rpc_url,
                 "Tempo JSON-RPC endpoint (env MPP_RPC_URL; default: the network's)")
      ->group("Payment");
  app.add_option("--chain-id", flags.chain_id, "Accept challenges for this chain id instead (local chains)")
      ->group("Payment");
  app.add_option("--max-amount", flags.max_amount,
                 "Most one call may cost, network fee included, in token units (env MPP_MAX_AMOUNT; default "
                 "0.10)")
      ->group("Payment");
  app.add_option("--max-fee", flags.max_fee,
                 "Most the network fee of one self-paid call may be, in token units; counted in every cap "
                 "(env MPP_MAX_FEE; config max_fee; default " +
                     FormatTokenAmount(kDefaultMaxFee) + ")")
      ->group("Payment");
  app.add_option("--daily-limit", flags.daily_limit,
                 "Most all calls may spend in 24 hours, fees included, in token units (env MPP_DAILY_LIMIT; "
                 "config budget.daily)")
      ->group("Payment");
  // Repeatable options take one value each, so a prompt after them stays a prompt.
  app.add_option("--currency", flags.currencies, "Allow and prefer this token address (repeatable)")
      ->allow_extra_args(false)
      ->group("Payment");
  app.add_option("--exclude-currency", flags.excluded_currencies,
                 "Never pay in this token address (repeatable)")
      ->allow_extra_args(false)
      ->group("Payment");
  app.add_option("--wallet", flags.wallet, "Wallet to pay from (env MPP_WALLET; default: the default wallet)")
      ->group("Payment");
  app.add_option("--password-file", flags.password_file,
                 "Read the wallet password from the first line of FILE")
      ->group("Payment");
  app.add_option("--config", flags.config_file,
                 "Config file (env MPP_CONFIG; default ~/.config/mpp/config.toml)");
  app.add_option("--dump-credential", flags.dump_credential,
                 "Write the payment credential to FILE (mode 0600) for debugging; it is a bearer secret")
      ->group("Payment");
  app.add_option("--timeout", flags.timeout_s, "Seconds a whole request may take (default 300)")
      ->group("Network");
  app.add_option("--connect-timeout", flags.connect_timeout_s,
                 "Seconds to wait for a connection (default 10)")
      ->group("Network");
  app.add_flag("-v,--verbose", flags.verbosity, "Explain what happens on stderr (repeat for more)");
}

Result<PaymentSettings> ResolvePaymentSettings(const PaymentFlags& flags) {
  auto config = LoadConfig(flags.config_file);
  if (!config) return config.error();
  return ResolvePaymentSettings(flags, *config);
}

Result<PaymentSettings> ResolvePaymentSettings(const PaymentFlags& flags, const ConfigValues& config) {
  PaymentSettings settings;
  Setting network = Pick(flags.network, "--network", "MPP_NETWORK", config, "network");
  if (network.value.empty()) network.value = "mainnet";
  settings.chain = tempo::FindChainByName(network.value);
  if (settings.chain == nullptr) {
    return MakeError(ErrorKind::kUsage, "unknown network '" + network.value + "' from " + network.source +
                                            " (use mainnet or testnet)");
  }
  settings.rpc_url = Pick(flags.rpc_url, "--rpc-url", "MPP_RPC_URL", config, "rpc_url").value;
  if (settings.rpc_url.empty()) settings.rpc_url = std::string(settings.chain->rpc_url);

  settings.policy.chain_id = flags.chain_id.value_or(settings.chain->chain_id);
  Setting max_amount = Pick(flags.max_amount, "--max-amount", "MPP_MAX_AMOUNT", config, "max_amount");
  if (max_amount.value.empty()) max_amount = {kDefaultMaxAmount, "default"};
  auto cap = ParseTokenAmount(max_amount.value);
  if (!cap) {
    return MakeError(ErrorKind::kUsage,
                     "the per-call cap '" + max_amount.value + "' from " + max_amount.source +
                         " is not an amount in token units (e.g. 0.05; at most 6 decimals)");
  }
  settings.policy.max_amount = *cap;
  Setting max_fee = Pick(flags.max_fee, "--max-fee", "MPP_MAX_FEE", config, "max_fee");
  if (max_fee.value.empty()) max_fee = {FormatTokenAmount(kDefaultMaxFee), "default"};
  auto fee_cap = ParseTokenAmount(max_fee.value);
  if (!fee_cap) {
    return MakeError(ErrorKind::kUsage,
                     "the fee ceiling '" + max_fee.value + "' from " + max_fee.source +
                         " is not an amount in token units (e.g. 0.05; at most 6 decimals)");
  }
  settings.policy.max_fee = *fee_cap;
  Setting daily = Pick(flags.daily_limit, "--daily-limit", "MPP_DAILY_LIMIT", config, "budget.daily");
  if (!daily.value.empty()) {
    auto limit = ParseTokenAmount(daily.value);
    if (!limit) {
      return MakeError(ErrorKind::kUsage, "the daily limit '" + daily.value + "' from " + daily.source +
                                              " is not an amount in token units (e.g. 1.50)");
    }
    settings.daily_limit = *limit;
  }
  for (const auto& token : settings.chain->tokens)
    settings.policy.known_currencies.push_back(tempo::TokenAddress(token));
  auto preferred = ParseAddresses(flags.currencies, "--currency");
  if (!preferred) return preferred.error();
  settings.policy.preferred_currencies = *preferred;
  auto excluded = ParseAddresses(flags.excluded_currencies, "--exclude-currency");
  if (!excluded) return excluded.error();
  settings.policy.excluded_currencies = *excluded;

  settings.wallet = Pick(flags.wallet, "--wallet", "MPP_WALLET", config, "wallet").value;
  settings.password_file = flags.password_file;
  settings.dump_credential = flags.dump_credential;
  settings.limits.total_timeout_ms = Milliseconds(flags.timeout_s, settings.limits.total_timeout_ms);
  settings.limits.connect_timeout_ms =
      Milliseconds(flags.connect_timeout_s, settings.limits.connect_timeout_ms);
  return settings;
}

}  // namespace mpp::cli
