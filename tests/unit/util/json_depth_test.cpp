#include "util/json_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace mpp {
namespace {

TEST(JsonDepth, AcceptsOrdinaryDocuments) {
  EXPECT_TRUE(JsonNestingWithin(R"({"a":[1,{"b":[2]}],"c":"x"})", 4));
  EXPECT_TRUE(JsonNestingWithin(""));
}

TEST(JsonDepth, RefusesNestingPastTheLimit) {
  EXPECT_FALSE(JsonNestingWithin(R"({"a":[1,{"b":[2]}]})", 3));
  EXPECT_FALSE(JsonNestingWithin(std::string(200'000, '[')));
}

TEST(JsonDepth, IgnoresBracketsInsideStrings) {
  EXPECT_TRUE(JsonNestingWithin(R"(["[[[[[[", "\"[[[[[["])", 1));
}

}  // namespace
}  // namespace mpp
