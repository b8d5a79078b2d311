// The JSON-RPC questions mpp asks about money: a payer's balance, a transaction's receipt, transfer
// logs, the chain head. Each has a params builder (for RpcClient::Call or CallBatch) and a strict reader
// of its result, so callers can put several in one batch. Pure.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/address.h"
#include "tempo/event_log.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

// eth_call params for `token`.balanceOf(`owner`) at the latest block.
std::string BalanceOfParams(const crypto::Address& token, const crypto::Address& owner);
// The balance from that eth_call's result: one 32-byte word. kNetwork naming eth_call otherwise.
Result<U256> ReadBalanceOf(const Result<rapidjson::Document>& result);

// eth_getTransactionReceipt params for a 0x-prefixed hash.
std::string TransactionReceiptParams(const std::string& tx_hash);

struct ReceiptDetails {
  std::string transaction_hash;  // 0x-prefixed, lowercase as the node writes it
  bool success = false;          // status 0x1
  std::uint64_t block_number = 0;
  U256 gas_used;
  U256 effective_gas_price;  // wei per gas
};

// A receipt result: nullopt for `null` (not mined, or unknown to the node). kNetwork for anything that
// is not a receipt object with a hash, status, block number, gasUsed and effectiveGasPrice.
Result<std::optional<ReceiptDetails>> ReadTransactionReceipt(const Result<rapidjson::Document>& result);

// The fee a mined transaction cost in a 6-decimal fee token: ceil(gas_used * effective_gas_price / 1e12),
// saturating.
U256 FeePaidInToken(const ReceiptDetails& receipt);

// eth_getBlockByNumber params for the latest block header (no transactions).
std::string LatestBlockParams();

struct BlockHead {
  std::uint64_t number = 0;
  std::int64_t timestamp = 0;  // UNIX seconds
};
// The block from an eth_getBlockByNumber result; kNetwork when it is not a block with number and timestamp.
Result<BlockHead> ReadBlockHead(const Result<rapidjson::Document>& result);

// An eth_getLogs filter: one emitting address, topics by position (nullopt matches anything).
struct LogFilter {
  crypto::Address address;
  std::vector<std::optional<Hash32>> topics;
  std::uint64_t from_block = 0;
  std::optional<std::uint64_t> to_block;  // nullopt: "latest"
};
std::string LogsParams(const LogFilter& filter);

// The logs of an eth_getLogs result, each read by ParseEventLog; kNetwork for anything that is not an
// array of log objects.
Result<std::vector<EventLog>> ReadLogs(const Result<rapidjson::Document>& result);

// An address as one indexed topic (left-padded to 32 bytes).
Hash32 AddressTopic(const crypto::Address& address);

// TIP-20 event signatures (PROTOCOL.md section 7).
Hash32 TransferTopic();
Hash32 TransferWithMemoTopic();

}  // namespace mpp::tempo
