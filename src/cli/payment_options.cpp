#include "cli/payment_options.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

#include "tempo/channel.h"
#include "util/amount.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

constexpr const char* kDefaultMaxAmount = "0.10";

std::string FromEnv(const wallet::EnvLookup& env, const char* name) {
  const char* value = env(name);
  return value != nullptr ? std::string(value) : std::string();
}

// A setting's value and where it came from, for messages.
struct Setting {
  std::string value;
  std::string source;
};

// Binds the environment and the config, so each setting reads as flag, variable, key.
struct Picker {
  const ConfigValues& config;
  const wallet::EnvLookup& env;

  std::string_view service;  // the service's [services.NAME] table, for the keys it may set

  Setting operator()(const std::string& flag, const char* flag_name, const char* variable,
                     const char* config_key) const;
  // As operator(), with the service's own key between the environment and the top-level key.
  Setting Scoped(const std::string& flag, const char* flag_name, const char* variable,
                 const char* config_key) const;
};

Setting Picker::operator()(const std::string& flag, const char* flag_name, const char* variable,
                           const char* config_key) const {
  if (!flag.empty()) return {flag, flag_name};
  if (std::string from_env = FromEnv(env, variable); !from_env.empty()) return {from_env, variable};
  if (auto from_config = config.Get(config_key)) {
    return {*from_config, std::string(config_key) + " in " + config.Origin(config_key)};
  }
  return {};
}

Setting Picker::Scoped(const std::string& flag, const char* flag_name, const char* variable,
                       const char* config_key) const {
  if (flag.empty() && !service.empty() && FromEnv(env, variable).empty()) {
    const std::string key = "services." + std::string(service) + "." + config_key;
    if (auto from_service = config.Get(key)) return {*from_service, key + " in " + config.Origin(key)};
  }
  return (*this)(flag, flag_name, variable, config_key);
}

Result<protocol::IntentChoice> ParseIntentChoice(const Setting& setting) {
  if (setting.value.empty() || setting.value == "auto") return protocol::IntentChoice::kAuto;
  if (setting.value == "charge") return protocol::IntentChoice::kCharge;
  if (setting.value == "session") return protocol::IntentChoice::kSession;
  return MakeError(ErrorKind::kUsage, "the intent '" + DisplayText(setting.value, 40) + "' from " +
                                          setting.source +
                                          " is not one mpp knows (use auto, charge or session)");
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

// "7d", "12h", "30m", "45s" or plain seconds; "off" or "0" is 0 (never). nullopt for anything else.
std::optional<std::int64_t> ParseAge(std::string_view text) {
  if (text == "off" || text == "0") return 0;
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9) return std::nullopt;
  std::int64_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) value = value * 10 + (text[i] - '0');
  const std::string_view unit = text.substr(digits);
  if (unit.empty() || unit == "s") return value;
  if (unit == "m") return value * 60;
  if (unit == "h") return value * 3600;
  if (unit == "d") return value * 86400;
  return std::nullopt;
}

// Digits only, at most `max`; nullopt otherwise.
std::optional<int> ParseCount(std::string_view text, int max) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

long Milliseconds(double seconds, long fallback) {
  if (seconds <= 0) return fallback;
  return static_cast<long>(std::ceil(seconds * 1000));
}

}  // namespace

std::optional<std::size_t> ParseByteSize(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
  std::string unit = AsciiUpper(text.substr(digits));
  int shift = 0;
  if (unit == "K" || unit == "KIB") {
    shift = 10;
  } else if (unit == "M" || unit == "MIB") {
    shift = 20;
  } else if (unit == "G" || unit == "GIB") {
    shift = 30;
  } else if (!unit.empty() && unit != "B") {
    return std::nullopt;
  }
  if (value == 0 || value > (std::uint64_t{1} << (48 - shift))) return std::nullopt;
  return static_cast<std::size_t>(value << shift);
}

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
                     FormatTokenAmount(protocol::kDefaultMaxFee) + ")")
      ->group("Payment");
  app.add_option("--intent", flags.intent,
                 "How to pay when a service offers several ways: auto (a channel already open to the payee, "
                 "else a charge, else a session), charge (one transfer per call) or session (vouchers on a "
                 "payment channel) (env MPP_INTENT; config intent; default auto)")
      ->group("Payment");
  app.add_option("--max-deposit", flags.max_deposit,
                 "Most a payment channel may lock, top-ups included, in token units; the unspent rest comes "
                 "back when the channel closes (env MPP_MAX_DEPOSIT; config max_deposit; default " +
                     FormatTokenAmount(protocol::kDefaultMaxDeposit) + ")")
      ->group("Payment");
  app.add_option("--escrow", flags.escrow,
                 "Trust this channel escrow contract instead of the TIP-1034 precompile " +
                     tempo::kChannelEscrow.ToChecksumHex() + ", e.g. on a chain you run (env MPP_ESCROW)")
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
  app.add_option(
         "--dump-credential", flags.dump_credential,
         "Write the payment credential to FILE, which must not exist yet (created 0600), for debugging; "
         "it is a bearer secret")
      ->group("Payment");
  app.add_option("--timeout", flags.timeout_s, "Seconds a whole request may take (default 300)")
      ->group("Network");
  app.add_option("--max-response", flags.max_response,
                 "Most bytes of an answer mpp reads, decompressed (e.g. 512K, 64M; default 64M); past it "
                 "mpp stops reading and exits 3, keeping what it printed")
      ->group("Network");
  app.add_option("--retries", flags.retries,
                 "Send the unpaid first request again up to N times after a 429, a 5xx or a failed "
                 "connection, waiting as Retry-After asks (at most 30 s) or backing off; a request carrying "
                 "a payment is never sent again (env MPP_RETRIES; config retries; default " +
                     std::to_string(protocol::kDefaultProbeRetries) + ")")
      ->type_name("N")
      ->group("Network");
  app.add_option("--connect-timeout", flags.connect_timeout_s,
                 "Seconds to wait for a connection (default 10)")
      ->group("Network");
  app.add_flag("-v,--verbose", flags.verbosity, "Explain what happens on stderr (repeat for more)");
}

void AddConfirmFlag(CLI::App& app, PaymentFlags& flags) {
  app.add_flag("--confirm", flags.confirm,
               "Show amount, fee and payee and ask y/N on the terminal before every paid call; without a "
               "terminal refuse (exit 5) (config confirm_above asks only above an amount)")
      ->group("Payment");
}

void AddMaxDriftFlag(CLI::App& app, PaymentFlags& flags) {
  app.add_option("--max-drift", flags.max_drift,
                 "Refuse (exit 5) a 402 asking more than PCT percent above the price the service publishes "
                 "(/openapi.json) or the last price a -t template paid; 'off' disables (env MPP_MAX_DRIFT; "
                 "config max_drift; default 20%, template prices only)")
      ->type_name("PCT")
      ->group("Payment");
}

Result<PaymentSettings> ResolvePaymentSettings(const PaymentFlags& flags, const wallet::EnvLookup& env) {
  auto config = LoadConfig(flags.config_file, env);
  if (!config) return config.error();
  return ResolvePaymentSettings(flags, *config, env);
}

Result<PaymentSettings> ResolvePaymentSettings(const PaymentFlags& flags, const ConfigValues& config,
                                               const wallet::EnvLookup& env, std::string_view service) {
  const Picker pick{config, env, service};
  PaymentSettings settings;
  Setting network = pick(flags.network, "--network", "MPP_NETWORK", "network");
  if (network.value.empty()) network.value = "mainnet";
  settings.chain = tempo::FindChainByName(network.value);
  if (settings.chain == nullptr) {
    return MakeError(ErrorKind::kUsage, "unknown network '" + network.value + "' from " + network.source +
                                            " (use mainnet or testnet)");
  }
  settings.rpc_url = pick(flags.rpc_url, "--rpc-url", "MPP_RPC_URL", "rpc_url").value;
  if (settings.rpc_url.empty()) settings.rpc_url = std::string(settings.chain->rpc_url);

  settings.policy.chain_id = flags.chain_id.value_or(settings.chain->chain_id);
  Setting max_amount = pick(flags.max_amount, "--max-amount", "MPP_MAX_AMOUNT", "max_amount");
  if (max_amount.value.empty()) max_amount = {kDefaultMaxAmount, "default"};
  auto cap = ParseTokenAmount(max_amount.value);
  if (!cap) {
    return MakeError(ErrorKind::kUsage,
                     "the per-call cap '" + max_amount.value + "' from " + max_amount.source +
                         " is not an amount in token units (e.g. 0.05; at most 6 decimals)");
  }
  settings.policy.max_amount = *cap;
  Setting max_fee = pick(flags.max_fee, "--max-fee", "MPP_MAX_FEE", "max_fee");
  if (max_fee.value.empty()) max_fee = {FormatTokenAmount(protocol::kDefaultMaxFee), "default"};
  auto fee_cap = ParseTokenAmount(max_fee.value);
  if (!fee_cap) {
    return MakeError(ErrorKind::kUsage,
                     "the fee ceiling '" + max_fee.value + "' from " + max_fee.source +
                         " is not an amount in token units (e.g. 0.05; at most 6 decimals)");
  }
  settings.policy.max_fee = *fee_cap;
  Setting daily = pick(flags.daily_limit, "--daily-limit", "MPP_DAILY_LIMIT", "budget.daily");
  if (!daily.value.empty()) {
    auto limit = ParseTokenAmount(daily.value);
    if (!limit) {
      return MakeError(ErrorKind::kUsage, "the daily limit '" + daily.value + "' from " + daily.source +
                                              " is not an amount in token units (e.g. 1.50)");
    }
    settings.daily_limit = *limit;
  }
  auto intent = ParseIntentChoice(pick.Scoped(flags.intent, "--intent", "MPP_INTENT", "intent"));
  if (!intent) return intent.error();
  settings.policy.intent = *intent;
  Setting max_deposit = pick.Scoped(flags.max_deposit, "--max-deposit", "MPP_MAX_DEPOSIT", "max_deposit");
  if (!max_deposit.value.empty()) {
    auto deposit = ParseTokenAmount(max_deposit.value);
    if (!deposit || deposit->IsZero()) {
      return MakeError(ErrorKind::kUsage,
                       "the deposit ceiling '" + max_deposit.value + "' from " + max_deposit.source +
                           " is not an amount in token units above zero (e.g. 1.00; at most 6 decimals)");
    }
    settings.policy.max_deposit = *deposit;
  }
  Setting escrow = pick(flags.escrow, "--escrow", "MPP_ESCROW", "escrow");
  if (!escrow.value.empty()) {
    auto address = crypto::Address::Parse(escrow.value);
    if (!address || *address == crypto::Address{}) {
      return MakeError(ErrorKind::kUsage, "the escrow '" + DisplayText(escrow.value, 60) + "' from " +
                                              escrow.source +
                                              " is not a contract address (0x and 40 hex digits, not zero)");
    }
    settings.policy.trusted_escrow = *address;
  }
  Setting warn_age = pick(std::string(), "", "MPP_CHANNEL_WARN_AGE", "channel_warn_age");
  if (!warn_age.value.empty()) {
    auto age = ParseAge(warn_age.value);
    if (!age) {
      return MakeError(ErrorKind::kUsage, "the channel age '" + DisplayText(warn_age.value, 40) + "' from " +
                                              warn_age.source +
                                              " is not a duration (e.g. 7d, 12h, 30m, or off)");
    }
    settings.channel_warn_age = *age;
  }
  for (const auto& token : settings.chain->tokens)
    settings.policy.known_currencies.push_back(tempo::TokenAddress(token));
  auto preferred = ParseAddresses(flags.currencies, "--currency");
  if (!preferred) return preferred.error();
  settings.policy.preferred_currencies = *preferred;
  auto excluded = ParseAddresses(flags.excluded_currencies, "--exclude-currency");
  if (!excluded) return excluded.error();
  settings.policy.excluded_currencies = *excluded;

  Setting retries = pick(flags.retries, "--retries", "MPP_RETRIES", "retries");
  if (!retries.value.empty()) {
    auto count = ParseCount(retries.value, protocol::kMaxProbeRetries);
    if (!count) {
      return MakeError(ErrorKind::kUsage, "the retry count '" + DisplayText(retries.value, 40) + "' from " +
                                              retries.source + " is not a whole number from 0 to " +
                                              std::to_string(protocol::kMaxProbeRetries));
    }
    settings.probe_retries = *count;
  }
  if (flags.confirm) {
    settings.confirm = {U256(), "--confirm"};
  } else if (Setting above = pick(std::string(), "", "MPP_CONFIRM_ABOVE", "confirm_above");
             !above.value.empty() && above.value != "off") {
    auto threshold = ParseTokenAmount(above.value);
    if (!threshold) {
      return MakeError(ErrorKind::kUsage, "the confirmation threshold '" + DisplayText(above.value, 40) +
                                              "' from " + above.source +
                                              " is not an amount in token units (e.g. 0.05) or off");
    }
    settings.confirm = {*threshold, above.source};
  }

  if (Setting drift = pick(flags.max_drift, "--max-drift", "MPP_MAX_DRIFT", "max_drift");
      !drift.value.empty()) {
    auto percent = ParseMaxDrift(drift.value);
    if (!percent) {
      return MakeError(ErrorKind::kUsage, "the price drift '" + DisplayText(drift.value, 40) + "' from " +
                                              drift.source + " is not a percentage from 0 to " +
                                              std::to_string(kMaxDriftPercent) + " (e.g. 20%) or off");
    }
    settings.max_drift = *percent == kMaxDriftOff ? std::nullopt : std::optional<std::uint32_t>(*percent);
    settings.max_drift_given = true;
  }

  settings.wallet = pick(flags.wallet, "--wallet", "MPP_WALLET", "wallet").value;
  settings.password_file = flags.password_file;
  settings.dump_credential = flags.dump_credential;
  if (struct stat st{}; !flags.dump_credential.empty() && ::lstat(flags.dump_credential.c_str(), &st) == 0) {
    return MakeError(ErrorKind::kUsage, "--dump-credential '" + flags.dump_credential +
                                            "' already exists; mpp writes a credential only into a new "
                                            "file (give a path that does not exist yet)");
  }
  if (!flags.max_response.empty()) {
    auto size = ParseByteSize(flags.max_response);
    if (!size) {
      return MakeError(ErrorKind::kUsage, "--max-response '" + flags.max_response +
                                              "' is not a size (bytes, or with K, M or G, e.g. 64M)");
    }
    settings.limits.max_streamed_body_bytes = *size;
    settings.limits.max_body_bytes = std::min(settings.limits.max_body_bytes, *size);
  }
  settings.limits.total_timeout_ms = Milliseconds(flags.timeout_s, settings.limits.total_timeout_ms);
  settings.limits.connect_timeout_ms =
      Milliseconds(flags.connect_timeout_s, settings.limits.connect_timeout_ms);
  return settings;
}

}  // namespace mpp::cli
