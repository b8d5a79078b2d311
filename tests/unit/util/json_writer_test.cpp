#include "util/json_writer.h"

#include <gtest/gtest.h>

namespace mpp::json {
namespace {

TEST(JsonWriter, WritesFieldsInOrderWithEveryByteAndNullForAnAbsentOptional) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  WriteField(writer, "a", std::string_view("x\0y", 3));
  WriteField(writer, "quote", "say \"hi\"\n");
  WriteOptionalField(writer, "absent", std::nullopt);
  WriteOptionalField(writer, "present", std::string("\xC3\xA9"));
  writer.EndObject();
  EXPECT_EQ(BufferText(buffer),
            "{\"a\":\"x\\u0000y\",\"quote\":\"say \\\"hi\\\"\\n\",\"absent\":null,\"present\":\"\xC3\xA9\"}");
}

TEST(JsonWriter, WritesAStringValueInAnArray) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartArray();
  WriteString(writer, "one");
  WriteString(writer, "");
  writer.EndArray();
  EXPECT_EQ(BufferText(buffer), "[\"one\",\"\"]");
}

}  // namespace
}  // namespace mpp::json
