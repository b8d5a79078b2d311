#include "llm/model_list.h"

#include <gtest/gtest.h>

namespace mpp::llm {
namespace {

using Ids = std::vector<std::string>;

TEST(ModelList, ReadsOpenAiShape) {
  auto ids = ParseModelList(
      R"({"object":"list","data":[{"id":"llama-3.3-70b-versatile","object":"model"},{"id":"whisper-large-v3"}]})");
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_EQ(*ids, (Ids{"llama-3.3-70b-versatile", "whisper-large-v3"}));
}

TEST(ModelList, ReadsBareArraysOfObjectsOrStrings) {
  auto objects = ParseModelList(R"([{"id":"a"},{"name":"no id"},{"id":"b"}])");
  ASSERT_TRUE(objects);
  EXPECT_EQ(*objects, (Ids{"a", "b"}));
  auto strings = ParseModelList(R"(["x","y"])");
  ASSERT_TRUE(strings);
  EXPECT_EQ(*strings, (Ids{"x", "y"}));
  auto models = ParseModelList(R"({"models":["z"]})");
  ASSERT_TRUE(models);
  EXPECT_EQ(*models, (Ids{"z"}));
}

TEST(ModelList, ErrorsAndOtherShapesAreErrors) {
  for (const char* bad :
       {"", "nope", "{}", R"({"data":{}})", "42", R"({"error":{"message":"unauthorized"}})"}) {
    auto ids = ParseModelList(bad);
    ASSERT_FALSE(ids) << bad;
    EXPECT_EQ(ids.error().kind, ErrorKind::kNetwork);
  }
}

}  // namespace
}  // namespace mpp::llm
