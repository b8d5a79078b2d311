#include "cli/progress.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace mpp::cli {
namespace {

wallet::EnvLookup Env(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

TEST(ProgressWanted, OnlyOnAQuietColourTerminal) {
  EXPECT_TRUE(ProgressWanted(true, 0, Env({{"TERM", "xterm-256color"}})));
  EXPECT_TRUE(ProgressWanted(true, 0, Env({{"NO_COLOR", ""}})));
  EXPECT_FALSE(ProgressWanted(false, 0, Env({})));
  EXPECT_FALSE(ProgressWanted(true, 1, Env({})));
  EXPECT_FALSE(ProgressWanted(true, 0, Env({{"NO_COLOR", "1"}})));
  EXPECT_FALSE(ProgressWanted(true, 0, Env({{"TERM", "dumb"}})));
}

}  // namespace
}  // namespace mpp::cli
