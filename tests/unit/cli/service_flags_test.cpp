#include "cli/service_flags.h"

#include <gtest/gtest.h>

#include <map>

#include "support/wallet_test_support.h"

namespace mpp::cli {
namespace {

wallet::EnvLookup Env(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

TEST(ResolveService, DefaultsToTheFirstPreset) {
  auto service = ResolveService({}, ConfigValues{});
  ASSERT_TRUE(service.ok()) << service.error().message;
  EXPECT_EQ(service->name, kDefaultServiceName);
  EXPECT_EQ(llm::ChatUrl(*service), "https://groq.mpp.paywithlocus.com/groq/chat");
}

TEST(ResolveService, TakesTheConfigDefaultThenTheFlag) {
  ConfigValues config;
  config.Set("service", {"openai"});
  EXPECT_EQ(ResolveService({}, config)->name, "openai");
  EXPECT_EQ(ResolveService({"grok", "", ""}, config)->name, "grok");
}

TEST(ResolveService, BaseUrlKeepsThePresetPaths) {
  auto service = ResolveService({"openrouter", "", "http://127.0.0.1:8080/openrouter/"}, ConfigValues{});
  ASSERT_TRUE(service.ok()) << service.error().message;
  EXPECT_EQ(llm::ChatUrl(*service), "http://127.0.0.1:8080/openrouter/v1/chat/completions");
  auto groq = ResolveService({"groq", "", "http://127.0.0.1:8080"}, ConfigValues{});
  EXPECT_EQ(llm::ModelsUrl(*groq), "http://127.0.0.1:8080/groq/models");
}

TEST(ResolveService, RefusesABadBaseUrlNamingTheFlag) {
  auto service = ResolveService({"groq", "", "ftp://x"}, ConfigValues{});
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(service.error().message.rfind("--base-url ", 0), 0u) << service.error().message;
}

TEST(ResolveService, ConfigServicesAddAndOverride) {
  ConfigValues config;
  config.Set("services.mine.url", {"http://127.0.0.1:9/api"});
  config.Set("services.mine.network", {"testnet"});
  config.Set("services.openai.url", {"http://127.0.0.1:9/openai"});
  auto mine = ResolveService({"mine", "", ""}, config);
  ASSERT_TRUE(mine.ok()) << mine.error().message;
  EXPECT_EQ(llm::ChatUrl(*mine), "http://127.0.0.1:9/api/v1/chat/completions");
  EXPECT_EQ(mine->network, "testnet");
  EXPECT_EQ(llm::ChatUrl(*ResolveService({"openai", "", ""}, config)),
            "http://127.0.0.1:9/openai/v1/chat/completions");
}

TEST(ResolveService, UnknownNamesListTheKnownOnes) {
  auto service = ResolveService({"nope", "", ""}, ConfigValues{});
  ASSERT_FALSE(service.ok());
  EXPECT_NE(service.error().message.find(
                "unknown service 'nope' from --service (known: groq, grok, openrouter, openai"),
            std::string::npos)
      << service.error().message;
}

TEST(ResolveService, UnknownNetworkOfAConfigServiceIsRefused) {
  ConfigValues config;
  config.Set("services.mine.url", {"http://127.0.0.1:9"});
  config.Set("services.mine.network", {"devnet"});
  auto service = ResolveService({"mine", "", ""}, config);
  ASSERT_FALSE(service.ok());
  EXPECT_NE(service.error().message.find("services.mine.network 'devnet'"), std::string::npos);
}

TEST(ResolveService, UrlIsTheWholeEndpointAndTakesNoBaseUrl) {
  auto service = ResolveService({"", "http://127.0.0.1:9/v1/chat/completions?x=1", ""}, ConfigValues{});
  ASSERT_TRUE(service.ok());
  EXPECT_EQ(llm::ChatUrl(*service), "http://127.0.0.1:9/v1/chat/completions?x=1");
  EXPECT_FALSE(ResolveService({"", "http://127.0.0.1:9/x", "http://127.0.0.1:9"}, ConfigValues{}).ok());
}

TEST(WithServiceNetwork, TheServiceNetworkIsOnlyTheLastDefault) {
  llm::Service service;
  service.network = "testnet";
  EXPECT_EQ(WithServiceNetwork({}, service, ConfigValues{}, Env({})).network, "testnet");
  PaymentFlags flagged;
  flagged.network = "mainnet";
  EXPECT_EQ(WithServiceNetwork(flagged, service, ConfigValues{}, Env({})).network, "mainnet");
  EXPECT_EQ(WithServiceNetwork({}, service, ConfigValues{}, Env({{"MPP_NETWORK", "mainnet"}})).network, "");
  ConfigValues config;
  config.Set("network", {"mainnet"});
  EXPECT_EQ(WithServiceNetwork({}, service, config, Env({})).network, "");
}

TEST(ResolveServiceTarget, AServiceTableMaySayHowToPayIt) {
  mpp::wallet::testing::TempDir dir;
  const auto file = dir.path() / "config.toml";
  mpp::wallet::testing::WriteText(file,
                                  "[services.openrouter]\nintent = \"session\"\nmax_deposit = \"0.3\"\n");
  PaymentFlags payment;
  payment.config_file = file.string();
  auto target = ResolveServiceTarget({"openrouter", "", ""}, payment, Env({}));
  auto groq = ResolveServiceTarget({"groq", "", ""}, payment, Env({}));
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(llm::ChatUrl(target->service), "https://openrouter.mpp.tempo.xyz/v1/chat/completions");
  EXPECT_EQ(target->settings.policy.intent, protocol::IntentChoice::kSession);
  EXPECT_EQ(target->settings.policy.max_deposit, U256(300'000));
  ASSERT_TRUE(groq.ok()) << groq.error().message;
  EXPECT_EQ(groq->settings.policy.intent, protocol::IntentChoice::kAuto);  // another service's table
}

}  // namespace
}  // namespace mpp::cli
