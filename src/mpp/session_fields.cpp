#include "mpp/session_fields.h"

#include <algorithm>
#include <string_view>

#include "tempo/channel.h"
#include "util/hex.h"

namespace mpp::protocol::session_fields {

const rapidjson::Value* Find(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::optional<U256> Uint96(const rapidjson::Value& value) {
  if (!value.IsString()) return std::nullopt;
  auto amount = U256::FromDecimal(std::string_view(value.GetString(), value.GetStringLength()));
  if (!amount || !tempo::FitsUint96(*amount)) return std::nullopt;
  return amount;
}

std::optional<Hash32> Bytes32(const rapidjson::Value& value) {
  if (!value.IsString()) return std::nullopt;
  std::string_view text(value.GetString(), value.GetStringLength());
  if (text.size() != 66 || text[0] != '0' || text[1] != 'x') return std::nullopt;
  auto bytes = FromHexExact(text, 32);
  if (!bytes) return std::nullopt;
  Hash32 out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

std::optional<crypto::Address> Address(const rapidjson::Value& value) {
  if (!value.IsString()) return std::nullopt;
  return crypto::Address::Parse(std::string_view(value.GetString(), value.GetStringLength()));
}

}  // namespace mpp::protocol::session_fields
