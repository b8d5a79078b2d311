#include "util/json_fields.h"

#include <gtest/gtest.h>

#include "util/json_reader.h"

namespace mpp::json {
namespace {

rapidjson::Document ParsedForFields(std::string_view text) {
  rapidjson::Document doc;
  std::string why;
  EXPECT_TRUE(Parse(text, 4096, doc, why)) << why;
  return doc;
}

TEST(JsonFields, ReadsEachTypeOnlyAsItself) {
  auto doc = ParsedForFields(R"({"s":"text","n":7,"neg":-1,"o":{"k":"v"},"null":null,"e":""})");
  EXPECT_EQ(StringMember(doc, "s"), std::optional<std::string_view>("text"));
  EXPECT_EQ(StringMember(doc, "n"), std::nullopt);  // a number is not a string
  EXPECT_EQ(StringMember(doc, "null"), std::nullopt);
  EXPECT_EQ(StringMember(doc, "e"), std::optional<std::string_view>(""));
  EXPECT_EQ(Uint64Member(doc, "n"), std::optional<std::uint64_t>(7));
  EXPECT_EQ(Uint64Member(doc, "neg"), std::nullopt);
  EXPECT_EQ(Uint64Member(doc, "s"), std::nullopt);
  ASSERT_NE(ObjectMember(doc, "o"), nullptr);
  EXPECT_EQ(StringMember(*ObjectMember(doc, "o"), "k"), std::optional<std::string_view>("v"));
  EXPECT_EQ(ObjectMember(doc, "s"), nullptr);
  EXPECT_NE(FindMember(doc, "null"), nullptr);  // present, though null
  EXPECT_EQ(FindMember(doc, "absent"), nullptr);
  EXPECT_EQ(OptionalString(doc, "s"), std::optional<std::string>("text"));
  EXPECT_EQ(OptionalString(doc, "n"), std::nullopt);
}

TEST(JsonFields, StringOrEmptyTreatsAbsentAndOtherTypesAsEmpty) {
  auto doc = ParsedForFields(R"({"s":"text","n":7})");
  EXPECT_EQ(StringOrEmpty(doc, "s"), "text");
  EXPECT_EQ(StringOrEmpty(doc, "n"), "");
  EXPECT_EQ(StringOrEmpty(doc, "absent"), "");
}

TEST(JsonFields, ANonObjectHasNoMembers) {
  auto doc = ParsedForFields(R"(["s"])");
  EXPECT_EQ(FindMember(doc, "s"), nullptr);
  EXPECT_EQ(StringMember(doc, "s"), std::nullopt);
  EXPECT_EQ(OptionalString(doc, "s"), std::nullopt);
}

}  // namespace
}  // namespace mpp::json
