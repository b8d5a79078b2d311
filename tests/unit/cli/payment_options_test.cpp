#include "cli/payment_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "support/fake_services.h"
#include "support/wallet_test_support.h"
#include "tempo/channel.h"
#include "util/amount.h"

namespace mpp::cli {
namespace {

using mpp::testing::MapEnv;

const wallet::EnvLookup kNoEnv = MapEnv().Lookup();

Result<PaymentSettings> WithMaxResponse(const std::string& text) {
  PaymentFlags flags;
  flags.network = "testnet";
  flags.max_response = text;
  return ResolvePaymentSettings(flags, ConfigValues{}, kNoEnv);
}

TEST(PaymentSettings, MaxResponseTakesBytesOrBinaryUnits) {
  PaymentFlags defaults;
  defaults.network = "testnet";
  auto settings = ResolvePaymentSettings(defaults, ConfigValues{}, kNoEnv);
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->limits.max_streamed_body_bytes, std::size_t{64} << 20);
  for (const auto& [text, bytes] :
       std::initializer_list<std::pair<const char*, std::size_t>>{{"65536", 65536},
                                                                  {"512K", 512 << 10},
                                                                  {"512kib", 512 << 10},
                                                                  {"64M", 64 << 20},
                                                                  {"1G", 1 << 30},
                                                                  {"100B", 100}}) {
    auto resolved = WithMaxResponse(text);
    ASSERT_TRUE(resolved.ok()) << text << ": " << resolved.error().message;
    EXPECT_EQ(resolved->limits.max_streamed_body_bytes, bytes) << text;
    EXPECT_LE(resolved->limits.max_body_bytes, bytes) << text;  // buffered bodies never exceed it either
  }
}

TEST(PaymentSettings, MaxResponseRefusesWhatIsNotASize) {
  for (const char* text : {"0", "-1", "1.5M", "64MB", "M", "1T", "99999999999999", " 1K"}) {
    auto resolved = WithMaxResponse(text);
    ASSERT_FALSE(resolved.ok()) << text;
    EXPECT_EQ(ExitCode(resolved.error().kind), 2);
    EXPECT_NE(resolved.error().message.find("--max-response"), std::string::npos);
  }
}

TEST(PaymentSettings, ADumpCredentialPathThatExistsIsRefused) {
  char path[] = "/tmp/mpp-dump-test-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  PaymentFlags flags;
  flags.network = "testnet";
  flags.dump_credential = path;
  auto refused = ResolvePaymentSettings(flags, ConfigValues{}, kNoEnv);
  ::unlink(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ExitCode(refused.error().kind), 2);
  EXPECT_NE(refused.error().message.find("already exists"), std::string::npos);
  EXPECT_TRUE(ResolvePaymentSettings(flags, ConfigValues{}, kNoEnv).ok());  // now that it is gone
}

ConfigValues Config(const std::string& text) {
  auto config = ParseConfigText(text, "config.toml");
  EXPECT_TRUE(config.ok()) << config.error().message;
  return config.ok() ? *config : ConfigValues{};
}

TEST(PaymentSettings, AFlagBeatsTheEnvironmentWhichBeatsTheConfig) {
  const ConfigValues config = Config(
      "network = \"testnet\"\nrpc_url = \"http://config.invalid\"\nmax_amount = \"0.03\"\n"
      "max_fee = \"0.003\"\nwallet = \"from-config\"\n[budget]\ndaily = \"3\"\n");
  MapEnv env;
  env.Set("MPP_RPC_URL", "http://env.invalid").Set("MPP_MAX_AMOUNT", "0.02").Set("MPP_MAX_FEE", "0.002");
  env.Set("MPP_WALLET", "from-env").Set("MPP_DAILY_LIMIT", "2");
  PaymentFlags flags;
  flags.max_amount = "0.01";
  flags.wallet = "from-flag";

  auto settings = ResolvePaymentSettings(flags, config, env.Lookup());
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->chain->chain_id, tempo::kTestnetChainId);       // only the config names a network
  EXPECT_EQ(settings->rpc_url, "http://env.invalid");                 // env over config
  EXPECT_EQ(settings->policy.max_amount, *ParseTokenAmount("0.01"));  // flag over env and config
  EXPECT_EQ(settings->policy.max_fee, *ParseTokenAmount("0.002"));
  EXPECT_EQ(settings->wallet, "from-flag");
  ASSERT_TRUE(settings->daily_limit.has_value());
  EXPECT_EQ(*settings->daily_limit, *ParseTokenAmount("2"));

  auto from_config = ResolvePaymentSettings(PaymentFlags{}, config, MapEnv().Lookup());
  ASSERT_TRUE(from_config.ok()) << from_config.error().message;
  EXPECT_EQ(from_config->rpc_url, "http://config.invalid");
  EXPECT_EQ(from_config->policy.max_amount, *ParseTokenAmount("0.03"));
  EXPECT_EQ(from_config->wallet, "from-config");
  EXPECT_EQ(*from_config->daily_limit, *ParseTokenAmount("3"));
}

TEST(PaymentSettings, AnEmptyVariableDoesNotHideTheConfig) {
  MapEnv env;
  env.Set("MPP_MAX_AMOUNT", "");
  auto settings = ResolvePaymentSettings(PaymentFlags{}, Config("max_amount = \"0.04\"\n"), env.Lookup());
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->policy.max_amount, *ParseTokenAmount("0.04"));
}

TEST(PaymentSettings, ABadValueNamesWhereItCameFrom) {
  MapEnv env;
  env.Set("MPP_MAX_AMOUNT", "lots");
  auto from_env = ResolvePaymentSettings(PaymentFlags{}, Config("max_amount = \"0.04\"\n"), env.Lookup());
  ASSERT_FALSE(from_env.ok());
  EXPECT_EQ(ExitCode(from_env.error().kind), 2);
  EXPECT_NE(from_env.error().message.find("'lots' from MPP_MAX_AMOUNT"), std::string::npos)
      << from_env.error().message;

  auto from_config = ResolvePaymentSettings(PaymentFlags{}, Config("network = \"moonnet\"\n"), kNoEnv);
  ASSERT_FALSE(from_config.ok());
  EXPECT_NE(from_config.error().message.find("'moonnet' from network in config.toml line 1"),
            std::string::npos)
      << from_config.error().message;

  PaymentFlags flags;
  flags.daily_limit = "-1";
  auto from_flag = ResolvePaymentSettings(flags, ConfigValues{}, kNoEnv);
  ASSERT_FALSE(from_flag.ok());
  EXPECT_NE(from_flag.error().message.find("'-1' from --daily-limit"), std::string::npos)
      << from_flag.error().message;
}

TEST(PaymentSettings, TheConfigFileIsFoundThroughTheInjectedEnvironment) {
  mpp::wallet::testing::TempDir dir;
  const auto file = dir.path() / "mine.toml";
  mpp::wallet::testing::WriteText(file, "max_amount = \"0.07\"\n");
  MapEnv env;
  env.Set("MPP_CONFIG", file.string());
  auto settings = ResolvePaymentSettings(PaymentFlags{}, env.Lookup());
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->policy.max_amount, *ParseTokenAmount("0.07"));

  PaymentFlags flags;
  flags.config_file = (dir.path() / "absent.toml").string();  // --config beats MPP_CONFIG, and must exist
  auto missing = ResolvePaymentSettings(flags, env.Lookup());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ExitCode(missing.error().kind), 2);
  EXPECT_NE(missing.error().message.find("absent.toml"), std::string::npos) << missing.error().message;
}

TEST(PaymentSettings, IntentAndDepositComeFromFlagEnvServiceTableOrTopLevelKey) {
  const ConfigValues config = Config(
      "intent = \"charge\"\nmax_deposit = 2\n[services.openrouter]\nintent = \"session\"\n"
      "max_deposit = \"0.5\"\n");
  auto defaults = ResolvePaymentSettings(PaymentFlags{}, ConfigValues{}, kNoEnv);
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_EQ(defaults->policy.intent, protocol::IntentChoice::kAuto);
  EXPECT_EQ(defaults->policy.max_deposit, U256(protocol::kDefaultMaxDeposit));
  EXPECT_EQ(defaults->policy.trusted_escrow, tempo::kChannelEscrow);

  auto top_level = ResolvePaymentSettings(PaymentFlags{}, config, kNoEnv, "groq");
  ASSERT_TRUE(top_level.ok()) << top_level.error().message;
  EXPECT_EQ(top_level->policy.intent, protocol::IntentChoice::kCharge);
  EXPECT_EQ(top_level->policy.max_deposit, *ParseTokenAmount("2"));

  auto per_service = ResolvePaymentSettings(PaymentFlags{}, config, kNoEnv, "openrouter");
  ASSERT_TRUE(per_service.ok()) << per_service.error().message;
  EXPECT_EQ(per_service->policy.intent, protocol::IntentChoice::kSession);
  EXPECT_EQ(per_service->policy.max_deposit, *ParseTokenAmount("0.5"));

  MapEnv env;
  env.Set("MPP_INTENT", "auto").Set("MPP_MAX_DEPOSIT", "0.25");
  auto from_env = ResolvePaymentSettings(PaymentFlags{}, config, env.Lookup(), "openrouter");
  ASSERT_TRUE(from_env.ok()) << from_env.error().message;
  EXPECT_EQ(from_env->policy.intent, protocol::IntentChoice::kAuto);
  EXPECT_EQ(from_env->policy.max_deposit, *ParseTokenAmount("0.25"));

  PaymentFlags flags;
  flags.intent = "charge";
  flags.max_deposit = "0.1";
  auto from_flag = ResolvePaymentSettings(flags, config, env.Lookup(), "openrouter");
  ASSERT_TRUE(from_flag.ok()) << from_flag.error().message;
  EXPECT_EQ(from_flag->policy.intent, protocol::IntentChoice::kCharge);
  EXPECT_EQ(from_flag->policy.max_deposit, *ParseTokenAmount("0.1"));
}

TEST(PaymentSettings, BadIntentDepositOrEscrowNamesTheSourceAndTheFix) {
  struct Case {
    PaymentFlags flags;
    std::string config;
    std::string expected;
  };
  PaymentFlags intent;
  intent.intent = "subscription";
  PaymentFlags zero_deposit;
  zero_deposit.max_deposit = "0";
  PaymentFlags escrow;
  escrow.escrow = "0x1234";
  for (const auto& c : std::initializer_list<Case>{
           {intent, "",
            "the intent 'subscription' from --intent is not one mpp knows (use auto, charge or session)"},
           {PaymentFlags{}, "[services.groq]\nintent = \"both\"\n",
            "'both' from services.groq.intent in config.toml line 2"},
           {zero_deposit, "",
            "the deposit ceiling '0' from --max-deposit is not an amount in token units above zero"},
           {PaymentFlags{}, "max_deposit = \"a lot\"\n", "'a lot' from max_deposit in config.toml line 1"},
           {escrow, "", "the escrow '0x1234' from --escrow is not a contract address"},
       }) {
    auto resolved = ResolvePaymentSettings(c.flags, Config(c.config), kNoEnv, "groq");
    ASSERT_FALSE(resolved.ok()) << c.expected;
    EXPECT_EQ(ExitCode(resolved.error().kind), 2);
    EXPECT_NE(resolved.error().message.find(c.expected), std::string::npos) << resolved.error().message;
  }
  PaymentFlags other;
  other.escrow = "0x00000000000000000000000000000000000000aa";
  auto trusted = ResolvePaymentSettings(other, ConfigValues{}, kNoEnv);
  ASSERT_TRUE(trusted.ok()) << trusted.error().message;
  EXPECT_EQ(trusted->policy.trusted_escrow, *crypto::Address::Parse(other.escrow));
}

TEST(PaymentSettings, TheChannelWarningAgeTakesADurationOrOff) {
  auto defaults = ResolvePaymentSettings(PaymentFlags{}, ConfigValues{}, kNoEnv);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->channel_warn_age, 7 * 86400);
  for (const auto& [text, seconds] : std::initializer_list<std::pair<const char*, std::int64_t>>{
           {"30m", 1800}, {"12h", 43200}, {"2d", 172800}, {"90", 90}, {"45s", 45}, {"off", 0}}) {
    MapEnv env;
    env.Set("MPP_CHANNEL_WARN_AGE", text);
    auto settings = ResolvePaymentSettings(PaymentFlags{}, ConfigValues{}, env.Lookup());
    ASSERT_TRUE(settings.ok()) << text;
    EXPECT_EQ(settings->channel_warn_age, seconds) << text;
  }
  auto from_config = ResolvePaymentSettings(PaymentFlags{}, Config("channel_warn_age = \"1w\"\n"), kNoEnv);
  ASSERT_FALSE(from_config.ok());
  EXPECT_NE(
      from_config.error().message.find("'1w' from channel_warn_age in config.toml line 1 is not a duration"),
      std::string::npos)
      << from_config.error().message;
}

}  // namespace
}  // namespace mpp::cli
