#include "tempo/channel_queries.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <set>
#include <string_view>

#include "util/hex.h"
#include "util/text.h"

namespace mpp::tempo {
namespace {

Error ViewError(std::string_view view, std::string_view what) {
  return MakeError(ErrorKind::kNetwork, "RPC eth_call " + std::string(view) + ": " + std::string(what));
}

std::string EscrowCallParams(const crypto::Address& escrow, const Bytes& calldata) {
  return R"([{"to":")" + escrow.ToLowerHex() + R"(","data":")" + ToHex(calldata) + R"("},"latest"])";
}

// The bytes an eth_call returned, or an error naming the view.
Result<Bytes> ReturnData(std::string_view view, const Result<rapidjson::Document>& result) {
  if (!result) return result.error();
  if (!result->IsString()) return ViewError(view, "expected hex data");
  auto bytes = FromHex(result->GetString());
  if (!bytes) return ViewError(view, "expected hex data");
  return std::move(*bytes);
}

}  // namespace

std::string ChannelStateParams(const crypto::Address& escrow, const Hash32& channel_id) {
  return EscrowCallParams(escrow, GetChannelStateCalldata(channel_id));
}

Result<ChannelState> ReadChannelState(const Result<rapidjson::Document>& result) {
  auto data = ReturnData("getChannelState", result);
  if (!data) return data.error();
  return DecodeChannelState(*data);
}

std::string CloseGracePeriodParams(const crypto::Address& escrow) {
  return EscrowCallParams(escrow, CloseGracePeriodCalldata());
}

Result<std::uint64_t> ReadCloseGracePeriod(const Result<rapidjson::Document>& result) {
  auto data = ReturnData("CLOSE_GRACE_PERIOD", result);
  if (!data) return data.error();
  return DecodeCloseGracePeriod(*data);
}

LogQuery RpcLogQuery(RpcClient& rpc) {
  return [&rpc](const LogFilter& filter) { return ReadLogs(rpc.Call("eth_getLogs", LogsParams(filter))); };
}

bool IsLogRangeTooLarge(const Error& error) {
  if (error.kind != ErrorKind::kNetwork) return false;
  // What nodes and providers say (geth, reth, Alchemy, Infura, QuickNode); none is verified on Tempo.
  constexpr std::array<std::string_view, 6> kSigns = {"range",    "more than", "too large",
                                                      "too many", "exceed",    "limited to"};
  const std::string text = AsciiLower(error.message);
  return std::any_of(kSigns.begin(), kSigns.end(),
                     [&](std::string_view sign) { return text.find(sign) != std::string::npos; });
}

Result<std::vector<EventLog>> ScanLogsBack(const LogQuery& query, const crypto::Address& address,
                                           const std::vector<std::optional<Hash32>>& topics,
                                           std::uint64_t head, const LogScanLimits& limits) {
  const std::uint64_t depth = std::max<std::uint64_t>(limits.depth_blocks, 1);
  const std::uint64_t lowest = head >= depth - 1 ? head - (depth - 1) : 0;
  std::uint64_t width = std::max<std::uint64_t>(limits.chunk_blocks, 1);
  std::vector<std::vector<EventLog>> chunks;  // newest first
  std::uint64_t to = head;
  while (true) {
    const std::uint64_t from = to - lowest + 1 > width ? to - width + 1 : lowest;
    LogFilter filter{address, topics, from, to};
    auto logs = query(filter);
    if (!logs) {
      if (width > 1 && IsLogRangeTooLarge(logs.error())) {
        width /= 2;
        continue;
      }
      return logs.error();
    }
    chunks.push_back(std::move(*logs));
    if (from == lowest) break;
    to = from - 1;
  }
  std::vector<EventLog> out;
  for (auto chunk = chunks.rbegin(); chunk != chunks.rend(); ++chunk) {
    std::move(chunk->begin(), chunk->end(), std::back_inserter(out));
  }
  return out;
}

Result<std::vector<OpenedChannel>> FindChannelsOpenedBy(const LogQuery& query, const crypto::Address& payer,
                                                        const crypto::Address& escrow, std::uint64_t chain_id,
                                                        std::uint64_t head, const LogScanLimits& limits) {
  auto logs = ScanLogsBack(
      query, escrow, {EscrowEventTopic(EscrowEventKind::kChannelOpened), std::nullopt, AddressTopic(payer)},
      head, limits);
  if (!logs) return logs.error();
  std::vector<OpenedChannel> found;
  std::set<Hash32> seen;
  for (const auto& log : *logs) {
    auto event = DecodeEscrowEvent(log, escrow);
    if (!event) return event.error();
    const auto* opened = *event ? std::get_if<ChannelOpenedEvent>(&**event) : nullptr;
    if (opened == nullptr || opened->descriptor.payer != payer) continue;
    if (ChannelId(opened->descriptor, escrow, chain_id) != opened->channel_id) continue;
    if (!seen.insert(opened->channel_id).second) continue;
    found.push_back({opened->channel_id, opened->descriptor, opened->deposit, log.block_number});
  }
  return found;
}

Result<std::vector<EscrowEvent>> FindChannelEvents(const LogQuery& query, EscrowEventKind kind,
                                                   const crypto::Address& escrow, const Hash32& channel_id,
                                                   std::uint64_t head, const LogScanLimits& limits) {
  auto logs = ScanLogsBack(query, escrow, {EscrowEventTopic(kind), channel_id}, head, limits);
  if (!logs) return logs.error();
  std::vector<EscrowEvent> events;
  for (auto log = logs->rbegin(); log != logs->rend(); ++log) {
    auto event = DecodeEscrowEvent(*log, escrow);
    if (!event) return event.error();
    // The variant's alternatives are in EscrowEventKind's order.
    if (*event && (*event)->index() == static_cast<std::size_t>(kind) &&
        EventChannelId(**event) == channel_id)
      events.push_back(**event);
  }
  return events;
}

}  // namespace mpp::tempo
