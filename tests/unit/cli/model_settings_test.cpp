#include "cli/model_settings.h"

#include <gtest/gtest.h>

namespace mpp::cli {
namespace {

ModelSettings ParsedSettings(const std::string& text) {
  auto settings = ParseModelSettings(text, "models.toml");
  EXPECT_TRUE(settings.ok()) << settings.error().message;
  return settings.ok() ? *settings : ModelSettings{};
}

llm::Service ServiceNamed(const std::string& name, const std::string& default_model) {
  llm::Service service;
  service.name = name;
  service.default_model = default_model;
  return service;
}

constexpr const char* kModelSettingsText =
    "[defaults]\n"
    "groq = \"fast\"\n"
    "openai = \"gpt-4o\"\n"
    "[aliases]\n"
    "fast = \"llama-3.1-8b-instant\"\n"
    "mini = \"gpt-4o-mini\"\n"
    "[options.\"gpt-4o-mini\"]\n"
    "temperature = 0.2\n"
    "max_tokens = 100\n"
    "options = [\"reasoning_effort=high\"]\n"
    "[options.\"llama-3.1-8b-instant\"]\n"
    "top_p = 1\n";

TEST(ModelSettings, AnAliasGivenWithDashMBecomesItsModelAndTakesThatModelsOptions) {
  ModelSettings settings = ParsedSettings(kModelSettingsText);
  llm::Service service = ServiceNamed("openai", "gpt-4o-mini");
  RequestFlags request;
  request.model = "mini";
  auto notes = ApplyModelSettings(settings, service, request);
  EXPECT_EQ(request.model, "gpt-4o-mini");
  EXPECT_EQ(service.default_model, "gpt-4o-mini") << "a named model leaves the service's default alone";
  EXPECT_EQ(request.temperature, 0.2);
  EXPECT_EQ(request.max_tokens, 100);
  EXPECT_EQ(request.options, std::vector<std::string>{"reasoning_effort=high"});
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0], "model alias 'mini' is gpt-4o-mini");
}

TEST(ModelSettings, WithNoModelTheServicesDefaultFromTheFileIsUsedThroughItsAlias) {
  ModelSettings settings = ParsedSettings(kModelSettingsText);
  llm::Service service = ServiceNamed("groq", "llama-3.3-70b-versatile");
  RequestFlags request;
  ApplyModelSettings(settings, service, request);
  EXPECT_TRUE(request.model.empty()) << "a stdin request's own model still wins over a default";
  EXPECT_EQ(service.default_model, "llama-3.1-8b-instant");
  EXPECT_EQ(request.top_p, 1.0);
}

TEST(ModelSettings, TheFilesDefaultForAServiceReplacesItsOwnAndTakesItsOptions) {
  ModelSettings settings = ParsedSettings(kModelSettingsText);
  llm::Service service = ServiceNamed("openai", "gpt-4o-mini");
  RequestFlags request;
  ApplyModelSettings(settings, service, request);
  EXPECT_EQ(service.default_model, "gpt-4o");
  EXPECT_FALSE(request.temperature) << "gpt-4o has no options; gpt-4o-mini's do not apply";
}

TEST(ModelSettings, ADefaultIsPerServiceAndAnotherServiceKeepsItsOwn) {
  ModelSettings settings = ParsedSettings(kModelSettingsText);
  llm::Service service = ServiceNamed("openrouter", "openai/gpt-4o-mini");
  RequestFlags request;
  auto notes = ApplyModelSettings(settings, service, request);
  EXPECT_EQ(service.default_model, "openai/gpt-4o-mini");
  EXPECT_TRUE(notes.empty());
}

TEST(ModelSettings, FlagsWinOverModelOptionsAndTheirDashOComesLater) {
  ModelSettings settings = ParsedSettings(kModelSettingsText);
  // A service with no [defaults] entry: its own default model takes that model's options.
  llm::Service service = ServiceNamed("mine", "gpt-4o-mini");
  RequestFlags request;
  request.temperature = 1.5;
  request.options = {"reasoning_effort=low"};
  ApplyModelSettings(settings, service, request);
  EXPECT_EQ(request.temperature, 1.5);
  EXPECT_EQ(request.max_tokens, 100);
  // -o is applied in order, so the flag's, last, wins.
  EXPECT_EQ(request.options, (std::vector<std::string>{"reasoning_effort=high", "reasoning_effort=low"}));
}

TEST(ModelSettings, AnAliasIsLookedUpOnceNotRecursively) {
  ModelSettings settings = ParsedSettings("[aliases]\na = \"b\"\nb = \"c\"\n");
  llm::Service service = ServiceNamed("groq", "");
  RequestFlags request;
  request.model = "a";
  ApplyModelSettings(settings, service, request);
  EXPECT_EQ(request.model, "b");
}

TEST(ModelSettings, RendersWhatItParsesBack) {
  ModelSettings settings = ParsedSettings(kModelSettingsText);
  ModelSettings again = ParsedSettings(RenderModelSettings(settings));
  EXPECT_EQ(again.defaults, settings.defaults);
  EXPECT_EQ(again.aliases, settings.aliases);
  ASSERT_EQ(again.options.count("gpt-4o-mini"), 1u);
  EXPECT_EQ(again.options["gpt-4o-mini"].temperature, 0.2);
  EXPECT_EQ(again.options["gpt-4o-mini"].options, std::vector<std::string>{"reasoning_effort=high"});
  EXPECT_NE(RenderModelSettings(settings).find("temperature = 0.2\n"), std::string::npos);
}

TEST(ModelSettings, RefusesUnknownKeysWrongTypesAndBadNames) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"model = \"x\"\n", "models.toml line 1: unknown key 'model' (known: defaults, aliases, options)"},
      {"[aliases]\nfast = 3\n", "'aliases.fast' must be a model id in double quotes"},
      {"[aliases]\n\"bad name\" = \"x\"\n", "an alias is 1 to 64 letters"},
      {"[defaults]\ngroq = \"has space\"\n", "is not a model id"},
      {"[options.m]\ntemprature = 1\n", "line 2: unknown key 'options.m.temprature'"},
      {"[options.m]\nmax_tokens = 1.5\n", "'max_tokens' must be an integer"},
      {"[options.m]\noptions = [\"no-equals\"]\n", "KEY=VALUE strings"},
      {"[defaults\n", "not valid TOML"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseModelSettings(c.text, "models.toml");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kUsage);
    EXPECT_NE(parsed.error().message.find(c.expected), std::string::npos) << parsed.error().message;
  }
}

}  // namespace
}  // namespace mpp::cli
