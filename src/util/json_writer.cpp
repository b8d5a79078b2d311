#include "util/json_writer.h"

namespace mpp::json {

void WriteString(Writer& writer, std::string_view value) {
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteField(Writer& writer, std::string_view key, std::string_view value) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  WriteString(writer, value);
}

void WriteOptionalField(Writer& writer, std::string_view key, const std::optional<std::string>& value) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (value) {
    WriteString(writer, *value);
  } else {
    writer.Null();
  }
}

std::string BufferText(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace mpp::json
