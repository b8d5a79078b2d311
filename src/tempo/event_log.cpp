#include "tempo/event_log.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "util/hex.h"
#include "util/u256.h"

namespace mpp::tempo {
namespace {

Error BadLog(const std::string& what) { return MakeError(ErrorKind::kNetwork, "RPC event log: " + what); }

const rapidjson::Value* LogMember(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::optional<std::string_view> StringOf(const rapidjson::Value* v) {
  if (!v || !v->IsString()) return std::nullopt;
  return std::string_view(v->GetString(), v->GetStringLength());
}

// 0x-prefixed hex of exactly `size` bytes, either case.
std::optional<Bytes> PrefixedHex(std::string_view text, std::size_t size) {
  if (text.size() != 2 + 2 * size || text[0] != '0' || text[1] != 'x') return std::nullopt;
  return FromHexExact(text, size);
}

// 0x-prefixed hex of exactly 32 bytes, either case.
std::optional<Hash32> ToHash(std::string_view text) {
  if (!text.starts_with("0x")) return std::nullopt;
  return Hash32FromHex(text);
}

Result<std::optional<std::uint64_t>> OptionalQuantity(const rapidjson::Value& log, const char* name) {
  const rapidjson::Value* v = LogMember(log, name);
  if (!v) return std::optional<std::uint64_t>();
  auto text = StringOf(v);
  auto value = text ? U256::FromHexQuantity(*text) : std::nullopt;
  if (!value || !value->FitsUint64()) return BadLog(std::string(name) + " is not a hex quantity below 2^64");
  return std::optional<std::uint64_t>(value->Low64());
}

}  // namespace

Result<EventLog> ParseEventLog(const rapidjson::Value& log) {
  if (!log.IsObject()) return BadLog("not an object");
  EventLog out;

  auto address_text = StringOf(LogMember(log, "address"));
  auto address_bytes = address_text ? PrefixedHex(*address_text, 20) : std::nullopt;
  if (!address_bytes) return BadLog("address is not 0x + 40 hex digits");
  std::copy(address_bytes->begin(), address_bytes->end(), out.address.bytes.begin());

  const rapidjson::Value* topics = LogMember(log, "topics");
  if (!topics || !topics->IsArray()) return BadLog("topics is not an array");
  if (topics->Size() > kMaxLogTopics) return BadLog("more than four topics");
  for (const rapidjson::Value& topic : topics->GetArray()) {
    auto text = StringOf(&topic);
    auto hash = text ? ToHash(*text) : std::nullopt;
    if (!hash) return BadLog("a topic is not 0x + 64 hex digits");
    out.topics.push_back(*hash);
  }

  auto data_text = StringOf(LogMember(log, "data"));
  if (!data_text || data_text->size() < 2 || (*data_text)[0] != '0' || (*data_text)[1] != 'x')
    return BadLog("data is not 0x-prefixed hex");
  if (data_text->size() > 2 + 2 * kMaxLogDataBytes) return BadLog("data is larger than 64 KiB");
  auto data = FromHex(*data_text);
  if (!data) return BadLog("data is not 0x-prefixed hex");
  out.data = std::move(*data);

  auto block_number = OptionalQuantity(log, "blockNumber");
  if (!block_number) return block_number.error();
  out.block_number = *block_number;
  auto log_index = OptionalQuantity(log, "logIndex");
  if (!log_index) return log_index.error();
  out.log_index = *log_index;
  if (const rapidjson::Value* hash = LogMember(log, "transactionHash")) {
    auto text = StringOf(hash);
    auto parsed = text ? ToHash(*text) : std::nullopt;
    if (!parsed) return BadLog("transactionHash is not 0x + 64 hex digits");
    out.transaction_hash = *parsed;
  }
  return out;
}

}  // namespace mpp::tempo
