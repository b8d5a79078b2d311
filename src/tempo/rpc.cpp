#include "tempo/rpc.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tempo/escrow_abi.h"
#include "tempo/rpc_queries.h"
#include "tempo/tip20.h"
#include "util/hex.h"
#include "util/json_reader.h"

namespace mpp::tempo {
namespace {

// The largest JSON-RPC answer read: receipts with many logs stay far below it.
constexpr std::size_t kMaxRpcAnswerBytes = 8 * 1024 * 1024;

Error RpcError(std::string_view method, std::string_view what) {
  return MakeError(ErrorKind::kNetwork, "RPC " + std::string(method) + ": " + std::string(what));
}

Result<U256> QuantityResult(std::string_view method, const rapidjson::Document& result) {
  if (!result.IsString()) return RpcError(method, "expected a hex quantity");
  auto value = U256::FromHexQuantity(result.GetString());
  if (!value)
    return RpcError(method, "expected a hex quantity, got '" + std::string(result.GetString()) + "'");
  return *value;
}

// The `result` of one JSON-RPC answer object, or its `error` as an error naming `method`.
Result<rapidjson::Document> ResultOf(std::string_view method, const rapidjson::Value& answer) {
  if (auto error = answer.FindMember("error"); error != answer.MemberEnd() && !error->value.IsNull()) {
    std::string message = "error";
    if (error->value.IsObject()) {
      auto m = error->value.FindMember("message");
      if (m != error->value.MemberEnd() && m->value.IsString()) message = m->value.GetString();
      // A node reports a revert as "execution reverted" with the custom error in `data`: name the
      // escrow's errors, so callers (and users) can tell CloseNotReady from NotPayer.
      auto data = error->value.FindMember("data");
      if (data != error->value.MemberEnd() && data->value.IsString()) {
        auto bytes = FromHex(data->value.GetString());
        auto name = bytes ? EscrowErrorName(*bytes) : std::nullopt;
        if (name && message.find(*name) == std::string::npos) message += " (" + std::string(*name) + ")";
      }
    }
    return RpcError(method, message);
  }
  auto result = answer.FindMember("result");
  if (result == answer.MemberEnd()) return RpcError(method, "the answer has no result");
  rapidjson::Document out;
  out.CopyFrom(result->value, out.GetAllocator());
  return out;
}

}  // namespace

Result<std::string> RpcClient::Post(std::string_view what, std::string body) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url_;
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::move(body);
  auto response = transport_.Perform(request, nullptr, nullptr);
  if (!response) {
    if (response.error().kind == ErrorKind::kInterrupted) return response.error();
    return RpcError(what, response.error().message + " (at " + url_ + "; set --rpc-url or MPP_RPC_URL)");
  }
  if (response->status != 200) {
    return RpcError(what, "HTTP " + std::to_string(response->status) + " from " + url_);
  }
  return std::move(response->body);
}

Result<rapidjson::Document> RpcClient::Call(std::string_view method, std::string_view params_json) {
  auto body = Post(method, R"({"jsonrpc":"2.0","id":)" + std::to_string(next_id_++) + R"(,"method":")" +
                               std::string(method) + R"(","params":)" + std::string(params_json) + "}");
  if (!body) return body.error();
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(*body, kMaxRpcAnswerBytes, doc, why))
    return RpcError(method, "the answer is not JSON (" + why + ")");
  if (!doc.IsObject()) return RpcError(method, "the answer is not JSON-RPC");
  return ResultOf(method, doc);
}

Result<std::vector<Result<rapidjson::Document>>> RpcClient::CallBatch(std::span<const RpcCall> calls) {
  const std::uint64_t first_id = next_id_;
  std::string body = "[";
  for (const auto& call : calls) {
    if (body.size() > 1) body += ',';
    body += R"({"jsonrpc":"2.0","id":)" + std::to_string(next_id_++) + R"(,"method":")" + call.method +
            R"(","params":)" + call.params_json + "}";
  }
  body += ']';
  auto answer = Post("batch", std::move(body));
  if (!answer) return answer.error();
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(*answer, kMaxRpcAnswerBytes, doc, why))
    return RpcError("batch", "the answer is not JSON (" + why + ")");
  if (!doc.IsArray()) return RpcError("batch", "the answer is not a JSON-RPC batch");

  std::vector<const rapidjson::Value*> by_call(calls.size(), nullptr);
  for (const auto& item : doc.GetArray()) {
    if (!item.IsObject()) continue;
    auto id = item.FindMember("id");
    if (id == item.MemberEnd() || !id->value.IsUint64()) continue;
    std::uint64_t index = id->value.GetUint64() - first_id;
    if (id->value.GetUint64() >= first_id && index < calls.size()) by_call[index] = &item;
  }
  std::vector<Result<rapidjson::Document>> results;
  results.reserve(calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (by_call[i] == nullptr) return RpcError("batch", "the answer has no reply to " + calls[i].method);
    results.push_back(ResultOf(calls[i].method, *by_call[i]));
  }
  return results;
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

std::string RpcClient::EstimateGasParams(const crypto::Address& from, const crypto::Address& to,
                                         std::string_view data_hex) {
  return R"([{"from":")" + from.ToLowerHex() + R"(","to":")" + to.ToLowerHex() + R"(","data":")" +
         std::string(data_hex) + R"("}])";
}

Result<U256> RpcClient::Quantity(std::string_view method, const Result<rapidjson::Document>& result) {
  if (!result) return result.error();
  return QuantityResult(method, *result);
}

Result<U256> RpcClient::EstimateGas(const crypto::Address& from, const crypto::Address& to,
                                    std::string_view data_hex) {
  return Quantity("eth_estimateGas", Call("eth_estimateGas", EstimateGasParams(from, to, data_hex)));
}

Result<U256> RpcClient::BalanceOf(const crypto::Address& token, const crypto::Address& owner) {
  return ReadBalanceOf(Call("eth_call", BalanceOfParams(token, owner)));
}

Result<TransactionReceipt> RpcClient::SendRawTransactionSync(std::string_view raw_hex) {
  auto result = Call("eth_sendRawTransactionSync", "[\"" + std::string(raw_hex) + "\"]");
  if (!result) return result.error();
  if (!result->IsObject()) return RpcError("eth_sendRawTransactionSync", "expected a receipt");
  TransactionReceipt receipt;
  auto hash = result->FindMember("transactionHash");
  if (hash != result->MemberEnd() && hash->value.IsString())
    receipt.transaction_hash = hash->value.GetString();
  auto status = result->FindMember("status");
  receipt.success = status != result->MemberEnd() && status->value.IsString() &&
                    std::string_view(status->value.GetString()) == "0x1";
  if (auto details = ReadTransactionReceipt(result); details && *details)
    receipt.fee_paid = FeePaidInToken(**details);
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
