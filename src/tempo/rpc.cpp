#include "tempo/rpc.h"
#include "util/json_depth.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tempo/tip20.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

Error RpcError(std::string_view method, std::string_view what) {
  return MakeError(ErrorKind::kNetwork, "RPC " + std::string(method) + ": " + std::string(what));
}

Result<U256> QuantityResult(std::string_view method, const rapidjson::Document& result) {
  if (!result.IsString()) return RpcError(method, "expected a hex quantity");
  auto value = U256::FromHexQuantity(result.GetString());
  if (!value) return RpcError(method, "expected a hex quantity, got '" + std::string(result.GetString()) + "'");
  return *value;
}

}  // namespace

Result<rapidjson::Document> RpcClient::Call(std::string_view method, std::string_view params_json) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url_;
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = R"({"jsonrpc":"2.0","id":)" + std::to_string(next_id_++) + R"(,"method":")" +
                 std::string(method) + R"(","params":)" + std::string(params_json) + "}";
  auto response = transport_.Perform(request, nullptr, nullptr);
  if (!response) {
    if (response.error().kind == ErrorKind::kInterrupted) return response.error();
    return RpcError(method, response.error().message + " (at " + url_ + "; set --rpc-url or MPP_RPC_URL)");
  }
  if (response->status != 200) {
    return RpcError(method, "HTTP " + std::to_string(response->status) + " from " + url_);
  }
  rapidjson::Document doc;
  if (!JsonNestingWithin(response->body)) return RpcError(method, "the answer is nested too deeply");
  doc.Parse<rapidjson::kParseIterativeFlag>(response->body.data(), response->body.size());
  if (doc.HasParseError() || !doc.IsObject()) return RpcError(method, "the answer is not JSON-RPC");
  if (auto error = doc.FindMember("error"); error != doc.MemberEnd() && !error->value.IsNull()) {
    std::string message = "error";
    if (error->value.IsObject()) {
      auto m = error->value.FindMember("message");
      if (m != error->value.MemberEnd() && m->value.IsString()) message = m->value.GetString();
    }
    return RpcError(method, message);
  }
  auto result = doc.FindMember("result");
  if (result == doc.MemberEnd()) return RpcError(method, "the answer has no result");
  rapidjson::Document out;
  out.CopyFrom(result->value, out.GetAllocator());
  return out;
}

Result<std::uint64_t> RpcClient::ChainId() {
  auto result = Call("eth_chainId", "[]");
  if (!result) return result.error();
  auto value = QuantityResult("eth_chainId", *result);
  if (!value) return value.error();
  if (!value->FitsUint64()) return RpcError("eth_chainId", "chain id out of range");
  return value->Low64();
}

Result<U256> RpcClient::GasPrice() {
  auto result = Call("eth_gasPrice", "[]");
  if (!result) return result.error();
  return QuantityResult("eth_gasPrice", *result);
}

Result<U256> RpcClient::EstimateGas(const crypto::Address& from, const crypto::Address& to,
                                    std::string_view data_hex) {
  std::string params = R"([{"from":")" + from.ToLowerHex() + R"(","to":")" + to.ToLowerHex() +
                       R"(","data":")" + std::string(data_hex) + R"("}])";
  auto result = Call("eth_estimateGas", params);
  if (!result) return result.error();
  return QuantityResult("eth_estimateGas", *result);
}

Result<U256> RpcClient::BalanceOf(const crypto::Address& token, const crypto::Address& owner) {
  std::string params = R"([{"to":")" + token.ToLowerHex() + R"(","data":")" +
                       ToHex(BalanceOfCalldata(owner)) + R"("},"latest"])";
  auto result = Call("eth_call", params);
  if (!result) return result.error();
  if (!result->IsString()) return RpcError("eth_call", "expected hex data");
  auto bytes = FromHex(result->GetString());
  if (!bytes || bytes->size() != 32) return RpcError("eth_call", "balanceOf did not return one 32-byte word");
  return *U256::FromBigEndian(*bytes);
}

Result<TransactionReceipt> RpcClient::SendRawTransactionSync(std::string_view raw_hex) {
  auto result = Call("eth_sendRawTransactionSync", "[\"" + std::string(raw_hex) + "\"]");
  if (!result) return result.error();
  if (!result->IsObject()) return RpcError("eth_sendRawTransactionSync", "expected a receipt");
  TransactionReceipt receipt;
  auto hash = result->FindMember("transactionHash");
  if (hash != result->MemberEnd() && hash->value.IsString()) receipt.transaction_hash = hash->value.GetString();
  auto status = result->FindMember("status");
  receipt.success = status != result->MemberEnd() && status->value.IsString() &&
                    std::string_view(status->value.GetString()) == "0x1";
  return receipt;
}

Result<std::vector<std::string>> RpcClient::FundAddress(const crypto::Address& address) {
  auto result = Call("tempo_fundAddress", "[\"" + address.ToLowerHex() + "\"]");
  if (!result) return result.error();
  std::vector<std::string> hashes;
  if (result->IsArray()) {
    for (const auto& item : result->GetArray()) {
      if (item.IsString()) hashes.emplace_back(item.GetString());
    }
  } else if (result->IsString()) {
    hashes.emplace_back(result->GetString());
  }
  return hashes;
}

}  // namespace mpp::tempo
