// A small Tempo JSON-RPC client: the handful of calls a paying client and `mpp wallet` need.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crypto/address.h"
#include "net/http.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

// One call of a batch: the method and its params as a JSON array, as for RpcClient::Call.
struct RpcCall {
  std::string method;
  std::string params_json;
};

struct TransactionReceipt {
  std::string transaction_hash;  // 0x-prefixed
  bool success = false;          // status 0x1
  std::optional<U256> fee_paid;  // gasUsed x effectiveGasPrice in fee-token base units, when given
};

class RpcClient {
 public:
  // Calls go to `url` through `transport`, which the client does not own.
  RpcClient(std::string url, net::HttpTransport& transport) : url_(std::move(url)), transport_(transport) {}

  // Performs one call; returns the `result` member. A JSON-RPC error, a non-200 answer or a body that
  // is not JSON-RPC is an error of kind kNetwork naming the method.
  Result<rapidjson::Document> Call(std::string_view method, std::string_view params_json);
  // Sends `calls` as one JSON-RPC batch: one HTTP request, one round trip. Returns one entry per call,
  // in the order given (answers are matched by id), each that call's result or its error. The outer
  // error is for the exchange as a whole: transport failure, non-200, or an answer that is not a
  // batch answering every call.
  Result<std::vector<Result<rapidjson::Document>>> CallBatch(std::span<const RpcCall> calls);

  Result<std::uint64_t> ChainId();
  Result<U256> GasPrice();
  Result<U256> EstimateGas(const crypto::Address& from, const crypto::Address& to, std::string_view data_hex);
  // The params of eth_estimateGas for a call from `from` to `to` with `data_hex` (for CallBatch).
  static std::string EstimateGasParams(const crypto::Address& from, const crypto::Address& to,
                                       std::string_view data_hex);
  // Reads a hex quantity result (eth_chainId, eth_gasPrice, eth_estimateGas) of `method`.
  static Result<U256> Quantity(std::string_view method, const Result<rapidjson::Document>& result);
  Result<U256> BalanceOf(const crypto::Address& token, const crypto::Address& owner);
  // eth_sendRawTransactionSync: broadcasts and waits for the receipt.
  Result<TransactionReceipt> SendRawTransactionSync(std::string_view raw_hex);
  // tempo_fundAddress (testnet faucet): the faucet's transaction hashes.
  Result<std::vector<std::string>> FundAddress(const crypto::Address& address);

  const std::string& url() const { return url_; }

 private:
  Result<std::string> Post(std::string_view what, std::string body);
  std::string url_;
  net::HttpTransport& transport_;
  std::uint64_t next_id_ = 1;
};

}  // namespace mpp::tempo
