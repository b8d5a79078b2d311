#include "llm/services.h"

#include <gtest/gtest.h>

namespace mpp::llm {
namespace {

TEST(Services, PresetsCoverTheFourServicesOnMainnet) {
  auto services = BuiltinServices();
  ASSERT_EQ(services.size(), 4u);
  for (const char* name : {"groq", "grok", "openrouter", "openai"}) {
    const Service* service = FindService(services, name);
    ASSERT_NE(service, nullptr) << name;
    EXPECT_EQ(service->network, "mainnet") << name;
    EXPECT_FALSE(service->default_model.empty()) << name;
  }
}

TEST(Services, GroqUsesItsOwnPathsAndTokenField) {
  auto services = BuiltinServices();
  const Service& groq = *FindService(services, "groq");
  EXPECT_EQ(ChatUrl(groq), "https://groq.mpp.paywithlocus.com/groq/chat");
  EXPECT_EQ(ModelsUrl(groq), "https://groq.mpp.paywithlocus.com/groq/models");
  EXPECT_EQ(groq.models_method, "POST");
  EXPECT_EQ(groq.max_tokens_field, "max_completion_tokens");
  EXPECT_EQ(groq.default_model, "openai/gpt-oss-20b");
}

TEST(Services, LocusPresetsDoNotStreamAndUnwrapTheEnvelope) {
  auto services = BuiltinServices();
  for (const char* name : {"groq", "grok"}) {
    EXPECT_FALSE(FindService(services, name)->streams) << name;
    EXPECT_TRUE(FindService(services, name)->success_envelope) << name;
  }
  for (const char* name : {"openrouter", "openai"}) {
    EXPECT_TRUE(FindService(services, name)->streams) << name;
    EXPECT_FALSE(FindService(services, name)->success_envelope) << name;
  }
}

TEST(Services, EveryPresetHasAModelsSource) {
  // Groq pays for its listing; the others have no listing route and carry built-in ids.
  auto services = BuiltinServices();
  EXPECT_TRUE(ModelsUrl(*FindService(services, "groq")).has_value());
  EXPECT_TRUE(FindService(services, "groq")->builtin_models.empty());
  for (const char* name : {"grok", "openrouter", "openai"}) {
    const Service& service = *FindService(services, name);
    EXPECT_FALSE(ModelsUrl(service).has_value()) << name;
    ASSERT_FALSE(service.builtin_models.empty()) << name;
    EXPECT_EQ(service.builtin_models.front(), service.default_model) << name;
  }
  for (const auto& id : FindService(services, "openrouter")->builtin_models) {
    EXPECT_NE(id.find('/'), std::string::npos) << id;  // OpenRouter slugs: vendor/model
  }
  for (const auto& id : FindService(services, "openai")->builtin_models) {
    EXPECT_EQ(id.find('/'), std::string::npos) << id;  // OpenAI: bare ids
  }
}

TEST(Services, ConfigSetsStreamingEnvelopeAndModels) {
  ConfigSections config{{"services.mine",
                         {{"url", "https://llm.example.com"},
                          {"stream", "false"},
                          {"envelope", "true"},
                          {"models", "a/b, c ,d"}}},
                        {"services.grok", {{"models", ""}}}};
  auto merged = MergeConfiguredServices(BuiltinServices(), config);
  ASSERT_TRUE(merged) << merged.error().message;
  const Service* mine = FindService(*merged, "mine");
  EXPECT_FALSE(mine->streams);
  EXPECT_TRUE(mine->success_envelope);
  EXPECT_EQ(mine->builtin_models, (std::vector<std::string>{"a/b", "c", "d"}));
  EXPECT_TRUE(FindService(*merged, "grok")->builtin_models.empty());
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"stream", "yes"}, {"envelope", "1"}, {"models", "a,,b"}, {"models", "a,"}, {"models", "a b"}}) {
    auto refused = MergeConfiguredServices(BuiltinServices(), {{"services.groq", {{key, value}}}});
    ASSERT_FALSE(refused) << key << "=" << value;
    EXPECT_NE(refused.error().message.find("services.groq." + key), std::string::npos)
        << refused.error().message;
  }
}

TEST(Services, AUrlOnALocusHostGetsLocusShape) {
  auto locus = ServiceForUrl("https://Groq.MPP.PayWithLocus.com/groq/chat");
  ASSERT_TRUE(locus);
  EXPECT_FALSE(locus->streams);
  EXPECT_TRUE(locus->success_envelope);
  auto other = ServiceForUrl("https://paywithlocus.com.evil.example/groq/chat");
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->streams);
  EXPECT_FALSE(other->success_envelope);
  EXPECT_TRUE(IsLocusHost("paywithlocus.com"));
  EXPECT_FALSE(IsLocusHost("notpaywithlocus.com"));
}

TEST(Services, OthersUseTheirPublishedEndpoints) {
  auto services = BuiltinServices();
  EXPECT_EQ(ChatUrl(*FindService(services, "grok")), "https://grok.mpp.paywithlocus.com/grok/chat");
  EXPECT_EQ(ChatUrl(*FindService(services, "openrouter")),
            "https://openrouter.mpp.tempo.xyz/v1/chat/completions");
  EXPECT_EQ(ChatUrl(*FindService(services, "openai")), "https://openai.mpp.tempo.xyz/v1/chat/completions");
  EXPECT_EQ(FindService(services, "grok")->default_model, "grok-4.6");
  EXPECT_EQ(FindService(services, "openrouter")->default_model, "openai/gpt-4o-mini");
  EXPECT_EQ(FindService(services, "openai")->default_model, "gpt-4o-mini");
  EXPECT_EQ(FindService(services, "openai")->max_tokens_field, "max_tokens");
  EXPECT_FALSE(ModelsUrl(*FindService(services, "openai")).has_value());
}

TEST(Services, UnknownNameIsNotFound) {
  auto services = BuiltinServices();
  EXPECT_EQ(FindService(services, "Groq"), nullptr);
  EXPECT_EQ(FindService(services, ""), nullptr);
}

TEST(Services, ConfigAddsANewServiceWithDefaults) {
  ConfigSections config{{"services.mine", {{"url", "https://llm.example.com/"}, {"model", "m1"}}},
                        {"wallet", {{"url", "ignored"}}}};
  auto merged = MergeConfiguredServices(BuiltinServices(), config);
  ASSERT_TRUE(merged) << merged.error().message;
  const Service* mine = FindService(*merged, "mine");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(ChatUrl(*mine), "https://llm.example.com/v1/chat/completions");
  EXPECT_EQ(mine->default_model, "m1");
  EXPECT_EQ(mine->max_tokens_field, "max_tokens");
  EXPECT_EQ(mine->network, "mainnet");
  EXPECT_FALSE(ModelsUrl(*mine).has_value());
  EXPECT_EQ(merged->size(), 5u);
}

TEST(Services, ConfigOverridesOnlyTheKeysItSets) {
  ConfigSections config{{"services.groq", {{"model", "llama-3.1-8b-instant"}, {"network", "testnet"}}}};
  auto merged = MergeConfiguredServices(BuiltinServices(), config);
  ASSERT_TRUE(merged);
  const Service& groq = *FindService(*merged, "groq");
  EXPECT_EQ(groq.default_model, "llama-3.1-8b-instant");
  EXPECT_EQ(groq.network, "testnet");
  EXPECT_EQ(ChatUrl(groq), "https://groq.mpp.paywithlocus.com/groq/chat");
  EXPECT_EQ(groq.max_tokens_field, "max_completion_tokens");
  EXPECT_EQ(merged->size(), 4u);
}

TEST(Services, ConfigCanSetAndSwitchOffTheModelsListing) {
  ConfigSections config{{"services.openai", {{"models_path", "/v1/models"}, {"models_method", "GET"}}},
                        {"services.groq", {{"models_path", ""}}}};
  auto merged = MergeConfiguredServices(BuiltinServices(), config);
  ASSERT_TRUE(merged);
  EXPECT_EQ(ModelsUrl(*FindService(*merged, "openai")), "https://openai.mpp.tempo.xyz/v1/models");
  EXPECT_FALSE(ModelsUrl(*FindService(*merged, "groq")).has_value());
}

TEST(Services, ConfigErrorsNameTheKey) {
  struct Case {
    ConfigSections config;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{{"services.mine", {{"model", "m"}}}}, "services.mine.url"},
      {{{"services.mine", {{"url", "ftp://x"}}}}, "services.mine.url"},
      {{{"services.mine", {{"url", "https://x?a=b"}}}}, "services.mine.url"},
      {{{"services.mine", {{"url", "https://"}}}}, "services.mine.url"},
      {{{"services.mine", {{"url", "https://u:p@x"}}}}, "services.mine.url"},
      {{{"services.groq", {{"chat_path", "chat"}}}}, "services.groq.chat_path"},
      {{{"services.groq", {{"max_tokens_field", "max tokens"}}}}, "services.groq.max_tokens_field"},
      {{{"services.groq", {{"models_method", "PUT"}}}}, "services.groq.models_method"},
      {{{"services.groq", {{"network", "Main Net"}}}}, "services.groq.network"},
      {{{"services.groq", {{"colour", "blue"}}}}, "services.groq.colour"},
      {{{"services.Bad Name", {{"url", "https://x"}}}}, "services.Bad Name"},
  };
  for (const auto& c : cases) {
    auto merged = MergeConfiguredServices(BuiltinServices(), c.config);
    ASSERT_FALSE(merged) << c.expected;
    EXPECT_EQ(merged.error().kind, ErrorKind::kUsage);
    EXPECT_NE(merged.error().message.find(c.expected), std::string::npos) << merged.error().message;
  }
}

TEST(Services, BareUrlIsTheEndpointWithNoDefaultModel) {
  auto service = ServiceForUrl("http://127.0.0.1:8080/v1/chat/completions?api-version=1");
  ASSERT_TRUE(service);
  EXPECT_EQ(ChatUrl(*service), "http://127.0.0.1:8080/v1/chat/completions?api-version=1");
  EXPECT_TRUE(service->default_model.empty());
  EXPECT_EQ(service->max_tokens_field, "max_tokens");
  EXPECT_EQ(service->network, "mainnet");
  EXPECT_FALSE(ModelsUrl(*service).has_value());
}

TEST(Services, BareUrlMustBeHttp) {
  for (const char* bad :
       {"example.com/chat", "file:///etc/passwd", "https://x/chat#frag", "https://a b/", "https:///path"}) {
    auto service = ServiceForUrl(bad);
    ASSERT_FALSE(service) << bad;
    EXPECT_EQ(service.error().kind, ErrorKind::kUsage);
    EXPECT_NE(service.error().message.find("--url"), std::string::npos);
  }
}

}  // namespace
}  // namespace mpp::llm
