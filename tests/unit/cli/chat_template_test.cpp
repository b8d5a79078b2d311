#include "cli/chat_template.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/template_flags.h"

namespace mpp::cli {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

ChatTemplate ParsedTemplate(const std::string& text) {
  auto parsed = ParseTemplateText(text, "t.toml");
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : ChatTemplate{};
}

TEST(FillPlaceholders, FillsKeysKeepsDoubleDollarAsOneAndLoneDollarsAsThey) {
  std::set<std::string> used;
  auto filled = FillPlaceholders("in $lang_2, $$lang, costs $5 or $", {{"lang_2", "C"}}, "t", used);
  ASSERT_TRUE(filled.ok()) << filled.error().message;
  EXPECT_EQ(*filled, "in C, $lang, costs $5 or $");
  EXPECT_EQ(used, std::set<std::string>{"lang_2"});
}

TEST(FillPlaceholders, RefusesAnUnfilledKeyNamingIt) {
  std::set<std::string> used;
  auto filled = FillPlaceholders("Answer in $lang.", {}, "review", used);
  ASSERT_FALSE(filled.ok());
  EXPECT_EQ(filled.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(filled.error().message, "template 'review' needs a value for $lang: give -p lang VALUE");
}

TEST(ChatTemplate, RendersWhatItParsesBack) {
  ChatTemplate t;
  t.service = "openai";
  t.base_url = "http://127.0.0.1:9";
  t.model = "gpt-4o-mini";
  t.system = "line one\nit's \"quoted\" $x";
  t.prompt = "Translate:";
  t.request.temperature = 0.3;
  t.request.max_tokens = 40;
  t.request.stops = {"END"};
  t.request.options = {"reasoning_effort=low"};
  t.schema = "{\"type\":\"object\"}";
  t.no_stream = true;
  t.files = {"/abs/notes.md", "https://example.com/x"};
  ChatTemplate back = ParsedTemplate(RenderTemplateToml(t));
  EXPECT_EQ(back.service, t.service);
  EXPECT_EQ(back.base_url, t.base_url);
  EXPECT_EQ(back.model, t.model);
  EXPECT_EQ(back.system, t.system);
  EXPECT_EQ(back.prompt, t.prompt);
  EXPECT_EQ(back.request.temperature, 0.3);
  EXPECT_EQ(back.request.max_tokens, 40);
  EXPECT_EQ(back.request.stops, t.request.stops);
  EXPECT_EQ(back.request.options, t.request.options);
  EXPECT_EQ(back.schema, t.schema);
  EXPECT_TRUE(back.no_stream);
  EXPECT_EQ(back.files, t.files);
  EXPECT_FALSE(back.last_price);
}

TEST(ChatTemplate, KeepsTheLastPricePaidInTokenUnits) {
  ChatTemplate t;
  t.model = "gpt-4o-mini";
  t.last_price = PaidPrice{U256(1500), "0x20c0000000000000000000000000000000000000", "session"};
  const std::string text = RenderTemplateToml(t);
  EXPECT_NE(text.find("last_price = '0.0015'"), std::string::npos) << text;
  ChatTemplate back = ParsedTemplate(text);
  ASSERT_TRUE(back.last_price);
  EXPECT_EQ(back.last_price->amount, U256(1500));
  EXPECT_EQ(back.last_price->currency, t.last_price->currency);
  EXPECT_EQ(back.last_price->intent, "session");
  EXPECT_EQ(back.model, "gpt-4o-mini");
  EXPECT_FALSE(ParseTemplateText("last_price = \"a lot\"\n", "t.toml"));
  EXPECT_FALSE(ParseTemplateText("last_price = \"1\"\nlast_price_intent = \"stream\"\n", "t.toml"));
}

TEST(ChatTemplate, RefusesUnknownKeysWrongTypesAndABadSchema) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"model = \"m\"\ncolour = \"red\"\n", "template t.toml line 2: unknown key 'colour'"},
      {"temperature = \"hot\"\n", "'temperature' must be a number"},
      {"system = 3\n", "'system' must be a string"},
      {"no_stream = \"yes\"\n", "'no_stream' must be true or false"},
      {"files = [1]\n", "'files' must be an array of strings"},
      {"schema = \"[1]\"\n", "'schema' must be a JSON object"},
      {"[table]\n", "unknown key 'table'"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseTemplateText(c.text, "t.toml");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kUsage);
    EXPECT_NE(parsed.error().message.find(c.expected), std::string::npos) << parsed.error().message;
  }
}

TEST(ChatTemplate, NamesAreLettersDigitsUnderscoreAndDashUpTo64) {
  EXPECT_TRUE(CheckTemplateName("review_2-b", "-t").ok());
  EXPECT_TRUE(CheckTemplateName(std::string(64, 'a'), "-t").ok());
  EXPECT_FALSE(CheckTemplateName(std::string(65, 'a'), "-t").ok());
  EXPECT_FALSE(CheckTemplateName("", "-t").ok());
  EXPECT_FALSE(CheckTemplateName("../x", "-t").ok());
  EXPECT_FALSE(CheckTemplateName("a.b", "-t").ok());
}

TEST(ApplyTemplate, FlagsWinAndTheTemplateFillsTheRest) {
  ChatTemplate t = ParsedTemplate(
      "service = \"openai\"\nbase_url = \"http://127.0.0.1:9\"\nmodel = \"gpt-4o-mini\"\n"
      "system = \"Answer in $lang\"\nprompt = \"Q:\"\ntemperature = 0.3\nmax_tokens = 9\n"
      "options = [\"a=1\"]\nfiles = [\"/t/ctx.md\"]\n");
  ServiceFlags service;
  RequestFlags request;
  request.prompt = {"why", "?"};
  request.temperature = 1.0;
  request.options = {"a=2"};
  request.files = {"mine.md"};
  auto applied = ApplyTemplate(t, "t", Params{{"lang", "C"}}, /*fill=*/true, service, request);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(service.service, "openai");
  EXPECT_EQ(service.base_url, "http://127.0.0.1:9");
  EXPECT_EQ(request.model, "gpt-4o-mini");
  EXPECT_EQ(request.system, "Answer in C");
  EXPECT_EQ(request.prompt, (std::vector<std::string>{"Q:", "why", "?"}));
  EXPECT_EQ(request.temperature, 1.0);
  EXPECT_EQ(request.max_tokens, 9);
  EXPECT_EQ(request.options, (std::vector<std::string>{"a=1", "a=2"}));
  EXPECT_EQ(request.files, (std::vector<std::string>{"/t/ctx.md", "mine.md"}));
}

TEST(ApplyTemplate, AServiceFlagReplacesTheTemplatesServiceBaseUrlAndAll) {
  ChatTemplate t = ParsedTemplate("service = \"openai\"\nbase_url = \"http://127.0.0.1:9\"\n");
  ServiceFlags service;
  service.service = "groq";
  RequestFlags request;
  ASSERT_TRUE(ApplyTemplate(t, "t", {}, true, service, request).ok());
  EXPECT_EQ(service.service, "groq");
  EXPECT_TRUE(service.base_url.empty());
}

TEST(ApplyTemplate, TheSchemaBecomesTheResponseFormatUnlessSchemaIsGiven) {
  ChatTemplate t = ParsedTemplate("schema = '{\"type\":\"object\"}'\n");
  ServiceFlags service;
  RequestFlags request;
  ASSERT_TRUE(ApplyTemplate(t, "t", {}, true, service, request).ok());
  EXPECT_EQ(request.options,
            std::vector<std::string>{
                "response_format={\"type\":\"json_schema\",\"json_schema\":{\"name\":\"output\","
                "\"schema\":{\"type\":\"object\"},\"strict\":true}}"});
  RequestFlags with_schema;
  with_schema.schema_file = "mine.json";
  ASSERT_TRUE(ApplyTemplate(t, "t", {}, true, service, with_schema).ok());
  EXPECT_TRUE(with_schema.options.empty());
}

TEST(ApplyTemplate, RefusesAParamTheTemplateNeverUses) {
  ChatTemplate t = ParsedTemplate("system = \"plain\"\n");
  ServiceFlags service;
  RequestFlags request;
  auto applied = ApplyTemplate(t, "t", Params{{"lang", "C"}}, true, service, request);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().message, "-p lang: the template 't' has no $lang to fill");
}

TEST(TemplateFromFlags, KeepsFilesAsGivenButMakesRelativePathsAbsolute) {
  ServiceFlags service;
  service.service = "groq";
  RequestFlags request;
  request.model = "m";
  request.prompt = {"Summarize", "this:"};
  request.files = {"notes/a.md", "/etc/hosts", "https://example.com/x.md", "-"};
  auto t = TemplateFromFlags(service, request);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->service, "groq");
  EXPECT_EQ(t->prompt, "Summarize this:");
  ASSERT_EQ(t->files.size(), 4u);
  EXPECT_EQ(t->files[0], (std::filesystem::current_path() / "notes/a.md").string());
  EXPECT_EQ(t->files[1], "/etc/hosts");
  EXPECT_EQ(t->files[2], "https://example.com/x.md");
  EXPECT_EQ(t->files[3], "-");
}

TEST(TemplateFromFlags, AnUnreadableSchemaFileIsAUsageError) {
  RequestFlags request;
  request.schema_file = "/nonexistent/schema.json";
  auto t = TemplateFromFlags(ServiceFlags{}, request);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(t.error().message, "--schema /nonexistent/schema.json: cannot read the file");
}

TEST(ApplyTemplate, WithoutFillThePlaceholdersStay) {
  ChatTemplate t = ParsedTemplate("system = \"in $lang\"\n");
  ServiceFlags service;
  RequestFlags request;
  ASSERT_TRUE(ApplyTemplate(t, "t", {}, /*fill=*/false, service, request).ok());
  EXPECT_EQ(request.system, "in $lang");
}

}  // namespace
}  // namespace mpp::cli
