// One EVM event log as eth_getTransactionReceipt and eth_getLogs return it.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/address.h"
#include "util/bytes.h"
#include "util/error.h"

namespace mpp::tempo {

inline constexpr std::size_t kMaxLogTopics = 4;
// Far above any escrow or TIP-20 event (ChannelOpened has six words); bounds what one log may hold.
inline constexpr std::size_t kMaxLogDataBytes = 64 * 1024;

struct EventLog {
  crypto::Address address;
  std::vector<Hash32> topics;  // topic0 (the event signature hash) first; at most kMaxLogTopics
  Bytes data;
  // Set when the node sent them (pending logs have none).
  std::optional<std::uint64_t> block_number;
  std::optional<Hash32> transaction_hash;
  std::optional<std::uint64_t> log_index;
};

// Reads one log object: `address` (0x + 40 hex, any case), `topics` (an array of at most four
// 0x + 64 hex strings), `data` (0x-prefixed hex, at most kMaxLogDataBytes), and the optional
// `blockNumber`, `logIndex` (hex quantities below 2^64) and `transactionHash` (0x + 64 hex); null
// counts as absent, other members are ignored. Refuses (kNetwork) anything else.
Result<EventLog> ParseEventLog(const rapidjson::Value& log);

}  // namespace mpp::tempo
