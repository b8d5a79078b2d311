// The JSON-RPC questions asked about payment channels once they are open (SESSION.md 8, 9, 11): a
// channel's state and the escrow's grace period (params builders and strict readers, as in
// rpc_queries.h), and the escrow's logs about a payer or a channel, scanned back from the chain head in
// bounded chunks. Pure: a scan reaches the node only through the LogQuery it is given.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/address.h"
#include "tempo/channel.h"
#include "tempo/escrow_abi.h"
#include "tempo/escrow_events.h"
#include "tempo/event_log.h"
#include "tempo/rpc.h"
#include "tempo/rpc_queries.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

// eth_call params for `escrow`.getChannelState(`channel_id`) at the latest block.
std::string ChannelStateParams(const crypto::Address& escrow, const Hash32& channel_id);
// The state from that eth_call's result (DecodeChannelState); kNetwork naming the view otherwise. An
// absent channel reads as all zeros (deposit 0: closed, or never opened).
Result<ChannelState> ReadChannelState(const Result<rapidjson::Document>& result);

// eth_call params for `escrow`.CLOSE_GRACE_PERIOD() at the latest block.
std::string CloseGracePeriodParams(const crypto::Address& escrow);
// The grace period in seconds (DecodeCloseGracePeriod); kNetwork otherwise.
Result<std::uint64_t> ReadCloseGracePeriod(const Result<rapidjson::Document>& result);

// How far back a log scan looks, and in how large pieces (the Rust tempo CLI's numbers).
struct LogScanLimits {
  std::uint64_t depth_blocks = 100'000;  // the head and the depth_blocks - 1 blocks before it
  std::uint64_t chunk_blocks = 50'000;   // the widest range one eth_getLogs asks for
};

// One eth_getLogs call: the logs of `filter`, or the node's error.
using LogQuery = std::function<Result<std::vector<EventLog>>(const LogFilter& filter)>;

// eth_getLogs through `rpc` (LogsParams, ReadLogs); `rpc` must outlive the query.
LogQuery RpcLogQuery(RpcClient& rpc);

// Whether an eth_getLogs error is a node refusing the size of the range or of its answer ("block
// range too large", "query returned more than 10000 results", "exceed maximum block range"), which a
// smaller range may cure. Other errors (connection, timeout, a malformed answer) are not.
bool IsLogRangeTooLarge(const Error& error);

// Every log of `address` matching `topics` in the last limits.depth_blocks blocks up to `head`, in
// chain order. The blocks are asked for newest first, in ranges of at most limits.chunk_blocks, a range
// halved (and the smaller width kept) each time the node says it is too large. The first other error ends the
// scan and is returned, as is a too-large error on a range of one block.
Result<std::vector<EventLog>> ScanLogsBack(const LogQuery& query, const crypto::Address& address,
                                           const std::vector<std::optional<Hash32>>& topics,
                                           std::uint64_t head, const LogScanLimits& limits = {});

// A channel as its ChannelOpened log tells it: everything needed to pay on it, close it or force it
// shut, except its current state (ask getChannelState).
struct OpenedChannel {
  Hash32 channel_id{};
  ChannelDescriptor descriptor;
  U256 deposit;                        // what it opened with
  std::optional<std::uint64_t> block;  // where it was opened, when the node said
};

// The channels `payer` opened on `escrow` in the scanned blocks (ScanLogsBack over topics
// [ChannelOpened, any channel, payer]), each once, oldest first. A log whose channelId does not derive
// from its descriptor on `escrow` and `chain_id` is not one of this chain's channels and is left out;
// a log that claims to be an escrow event but does not decode is an error (kNetwork).
Result<std::vector<OpenedChannel>> FindChannelsOpenedBy(const LogQuery& query, const crypto::Address& payer,
                                                        const crypto::Address& escrow, std::uint64_t chain_id,
                                                        std::uint64_t head, const LogScanLimits& limits = {});

// The `kind` events about `channel_id` on `escrow` in the scanned blocks (topics [kind, channelId]),
// newest first. kNetwork for a log that does not decode.
Result<std::vector<EscrowEvent>> FindChannelEvents(const LogQuery& query, EscrowEventKind kind,
                                                   const crypto::Address& escrow, const Hash32& channel_id,
                                                   std::uint64_t head, const LogScanLimits& limits = {});

}  // namespace mpp::tempo
