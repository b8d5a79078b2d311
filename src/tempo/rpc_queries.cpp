#include "tempo/rpc_queries.h"

#include <algorithm>

#include "crypto/keccak.h"
#include "tempo/tip20.h"
#include "util/hex.h"
#include "util/text.h"

namespace mpp::tempo {
namespace {

Error RpcQueryError(std::string_view method, std::string_view what) {
  return MakeError(ErrorKind::kNetwork, "RPC " + std::string(method) + ": " + std::string(what));
}

std::optional<std::string_view> RpcStringField(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

std::optional<U256> RpcQuantityField(const rapidjson::Value& object, const char* name) {
  auto text = RpcStringField(object, name);
  return text ? U256::FromHexQuantity(*text) : std::nullopt;
}

std::optional<std::uint64_t> RpcUint64Field(const rapidjson::Value& object, const char* name) {
  auto value = RpcQuantityField(object, name);
  if (!value || !value->FitsUint64()) return std::nullopt;
  return value->Low64();
}

Hash32 TopicOfEvent(std::string_view signature) {
  return crypto::Keccak256().Update(AsBytes(signature)).Finish();
}

}  // namespace

std::string BalanceOfParams(const crypto::Address& token, const crypto::Address& owner) {
  return R"([{"to":")" + token.ToLowerHex() + R"(","data":")" + ToHex(BalanceOfCalldata(owner)) +
         R"("},"latest"])";
}

Result<U256> ReadBalanceOf(const Result<rapidjson::Document>& result) {
  if (!result) return result.error();
  if (!result->IsString()) return RpcQueryError("eth_call", "expected hex data");
  auto bytes = FromHex(result->GetString());
  if (!bytes || bytes->size() != 32)
    return RpcQueryError("eth_call", "balanceOf did not return one 32-byte word");
  return *U256::FromBigEndian(*bytes);
}

std::string TransactionReceiptParams(const std::string& tx_hash) { return "[\"" + tx_hash + "\"]"; }

Result<std::optional<ReceiptDetails>> ReadTransactionReceipt(const Result<rapidjson::Document>& result) {
  constexpr std::string_view kMethod = "eth_getTransactionReceipt";
  if (!result) return result.error();
  if (result->IsNull()) return std::optional<ReceiptDetails>();
  if (!result->IsObject()) return RpcQueryError(kMethod, "expected a receipt object or null");
  ReceiptDetails receipt;
  auto hash = RpcStringField(*result, "transactionHash");
  auto status = RpcStringField(*result, "status");
  auto block = RpcUint64Field(*result, "blockNumber");
  auto gas_used = RpcQuantityField(*result, "gasUsed");
  auto price = RpcQuantityField(*result, "effectiveGasPrice");
  if (!hash || !Hash32FromHex(*hash) || !status || (*status != "0x1" && *status != "0x0") || !block ||
      !gas_used || !price) {
    return RpcQueryError(
        kMethod, "the receipt lacks transactionHash, status, blockNumber, gasUsed or effectiveGasPrice");
  }
  receipt.transaction_hash = AsciiLower(*hash);
  receipt.success = *status == "0x1";
  receipt.block_number = *block;
  receipt.gas_used = *gas_used;
  receipt.effective_gas_price = *price;
  return std::optional<ReceiptDetails>(std::move(receipt));
}

U256 FeePaidInToken(const ReceiptDetails& receipt) {
  U256 wei = U256::Max();
  if (receipt.gas_used.FitsUint64()) {
    wei = U256::CheckedMul(receipt.effective_gas_price, receipt.gas_used.Low64()).value_or(U256::Max());
  }
  std::uint64_t remainder = 0;
  U256 fee = wei.DivSmall(1'000'000'000'000, &remainder);
  return remainder != 0 ? U256::SaturatingAdd(fee, U256(1)) : fee;
}

std::string LatestBlockParams() { return R"(["latest",false])"; }

Result<BlockHead> ReadBlockHead(const Result<rapidjson::Document>& result) {
  if (!result) return result.error();
  if (!result->IsObject()) return RpcQueryError("eth_getBlockByNumber", "expected a block object");
  auto number = RpcUint64Field(*result, "number");
  auto timestamp = RpcUint64Field(*result, "timestamp");
  if (!number || !timestamp || *timestamp > static_cast<std::uint64_t>(INT64_MAX)) {
    return RpcQueryError("eth_getBlockByNumber", "the block lacks a number or timestamp");
  }
  return BlockHead{*number, static_cast<std::int64_t>(*timestamp)};
}

std::string LogsParams(const LogFilter& filter) {
  std::string topics = "[";
  for (const auto& topic : filter.topics) {
    if (topics.size() > 1) topics += ',';
    topics += topic ? "\"" + ToHex(*topic) + "\"" : std::string("null");
  }
  topics += ']';
  const std::string to = filter.to_block ? U256(*filter.to_block).ToHexQuantity() : std::string("latest");
  return R"([{"address":")" + filter.address.ToLowerHex() + R"(","topics":)" + topics + R"(,"fromBlock":")" +
         U256(filter.from_block).ToHexQuantity() + R"(","toBlock":")" + to + R"("}])";
}

Result<std::vector<EventLog>> ReadLogs(const Result<rapidjson::Document>& result) {
  if (!result) return result.error();
  if (!result->IsArray()) return RpcQueryError("eth_getLogs", "expected an array of logs");
  std::vector<EventLog> logs;
  for (const auto& item : result->GetArray()) {
    auto log = ParseEventLog(item);
    if (!log) return RpcQueryError("eth_getLogs", log.error().message);
    logs.push_back(std::move(*log));
  }
  return logs;
}

Hash32 AddressTopic(const crypto::Address& address) {
  Bytes word;
  AppendAddressWord(word, address);
  Hash32 topic{};
  std::copy(word.begin(), word.end(), topic.begin());
  return topic;
}

Hash32 TransferTopic() { return TopicOfEvent("Transfer(address,address,uint256)"); }

Hash32 TransferWithMemoTopic() { return TopicOfEvent("TransferWithMemo(address,address,uint256,bytes32)"); }

}  // namespace mpp::tempo
