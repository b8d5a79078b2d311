#include "cli/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mpp::cli {
namespace {

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mpp-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(const std::string& text) {
    auto path = dir_ / "config.toml";
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(ConfigFileTest, ReadsTopLevelKeysSectionsAndServiceTables) {
  auto config =
      LoadConfigFile(Write("network = \"testnet\"\n"
                           "max_amount = \"0.05\"\n"
                           "[budget]\n"
                           "daily = \"1.50\"\n"
                           "[services.mine]\n"
                           "url = \"https://llm.example.com\"\n"
                           "chat_path = \"/v1/chat/completions\"\n"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->Get("network"), "testnet");
  EXPECT_EQ(config->Get("max_amount"), "0.05");
  EXPECT_EQ(config->Get("budget.daily"), "1.50");
  auto services = config->Sections("services");
  ASSERT_EQ(services.count("mine"), 1u);
  EXPECT_EQ(services["mine"]["url"], "https://llm.example.com");
  EXPECT_EQ(services["mine"]["chat_path"], "/v1/chat/completions");
}

TEST_F(ConfigFileTest, MissingFileIsAnEmptyConfig) {
  auto config = LoadConfigFile(dir_ / "absent.toml");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->empty());
}

TEST_F(ConfigFileTest, UnreadableFileIsAUsageErrorNamingTheFile) {
  auto path = dir_ / "config.d";  // a directory cannot be read as a file, even by root
  std::filesystem::create_directories(path);
  auto config = LoadConfigFile(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().kind, ErrorKind::kUsage);
  EXPECT_NE(config.error().message.find(path.string()), std::string::npos);
}

}  // namespace
}  // namespace mpp::cli

namespace mpp::cli {
namespace {

TEST(ParseConfigText, EveryTomlSpellingOfTheDailyBudgetReadsTheSame) {
  for (const char* text :
       {"[budget]\ndaily = \"1.5\"\n", "[ budget ]\ndaily = \"1.5\"\n", "budget = { daily = \"1.5\" }\n",
        "budget.daily = \"1.5\"\n", "\xef\xbb\xbf[budget]\ndaily = 1.5\n", "[budget]\ndaily = '1.5'\n"}) {
    auto config = ParseConfigText(text, "c.toml");
    ASSERT_TRUE(config.ok()) << text << ": " << config.error().message;
    EXPECT_EQ(config->Get("budget.daily"), "1.5") << text;
  }
}

TEST(ParseConfigText, NumbersAreAmountsInTheirShortestExactSpelling) {
  auto config = ParseConfigText("max_amount = 0.05\nmax_fee = 1\n", "c.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->Get("max_amount"), "0.05");
  EXPECT_EQ(config->Get("max_fee"), "1");
  EXPECT_EQ(config->Origin("max_fee"), "c.toml line 2");
}

TEST(ParseConfigText, RefusesWhatItCannotReadNamingFileLineAndKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"[budget\ndaily = \"1\"\n", "config file c.toml line 1, column"},
      {"max_amount = \"1\"\nmax_amount = \"2\"\n", "config file c.toml line 2"},
      {"budget = { daily = true }\n", "line 1: 'budget.daily' must be an amount"},
      {"[budget]\n\ndialy = \"1\"\n", "line 3: unknown key 'budget.dialy' (known here: daily)"},
      {"netwrok = \"testnet\"\n", "line 1: unknown key 'netwrok'"},
      {"network = 1\n", "line 1: 'network' must be a string"},
      {"services = 1\n", "line 1: 'services' must hold tables"},
      {"[services.mine]\nuri = \"x\"\n", "line 2: unknown key 'services.mine.uri'"},
      {"[services.mine]\nurl = 5\n", "line 2: 'services.mine.url' must be a string"},
  };
  for (const auto& [text, expected] : cases) {
    auto config = ParseConfigText(text, "c.toml");
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_EQ(config.error().kind, ErrorKind::kUsage);
    EXPECT_NE(config.error().message.find(expected), std::string::npos) << config.error().message;
  }
}

}  // namespace
}  // namespace mpp::cli
