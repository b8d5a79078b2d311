#include "tempo/channel_queries.h"

#include <gtest/gtest.h>

#include "session_vectors.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

Result<rapidjson::Document> QueryJson(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  return doc;
}

Hash32 QWord(std::uint64_t value) { return U256(value).ToBigEndian32(); }

const ChannelDescriptor& QueryDescriptor() {
  static const ChannelDescriptor d = SDescriptor(SessionVectors()["vouchers"]["descriptor"]);
  return d;
}

// A log as the escrow emits it about QueryDescriptor()'s channel on `chain_id`.
EventLog QueryLog(EscrowEventKind kind, const Bytes& data, std::uint64_t block,
                  std::uint64_t chain_id = 4217) {
  const ChannelDescriptor& d = QueryDescriptor();
  EventLog log;
  log.address = kChannelEscrow;
  log.topics = {EscrowEventTopic(kind), ChannelId(d, kChannelEscrow, chain_id), AddressTopic(d.payer),
                AddressTopic(d.payee)};
  log.data = data;
  log.block_number = block;
  return log;
}

EventLog OpenedQueryLog(std::uint64_t block, std::uint64_t deposit, std::uint64_t chain_id = 4217) {
  const ChannelDescriptor& d = QueryDescriptor();
  Bytes data;
  Append(data, AddressTopic(d.operator_address));
  Append(data, AddressTopic(d.token));
  Append(data, AddressTopic(d.authorized_signer));
  Append(data, d.salt);
  Append(data, d.expiring_nonce_hash);
  Append(data, QWord(deposit));
  return QueryLog(EscrowEventKind::kChannelOpened, data, block, chain_id);
}

// A node that answers every range with `logs` inside it, and refuses ranges wider than `max_width`
// the way Infura does.
struct FakeLogNode {
  std::vector<EventLog> logs;
  std::uint64_t max_width = UINT64_MAX;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> asked;  // [from, to] of every call

  LogQuery Query() {
    return [this](const LogFilter& filter) -> Result<std::vector<EventLog>> {
      asked.emplace_back(filter.from_block, *filter.to_block);
      if (*filter.to_block - filter.from_block + 1 > max_width) {
        return MakeError(ErrorKind::kNetwork, "RPC eth_getLogs: query returned more than 10000 results");
      }
      std::vector<EventLog> out;
      for (const auto& log : logs) {
        if (*log.block_number >= filter.from_block && *log.block_number <= *filter.to_block)
          out.push_back(log);
      }
      return out;
    };
  }
};

TEST(ChannelQueries, ChannelStateIsAnEthCallToTheEscrowAndReadsBackItsThreeWords) {
  Hash32 id = ChannelId(QueryDescriptor(), kChannelEscrow, 4217);
  EXPECT_EQ(ChannelStateParams(kChannelEscrow, id),
            R"([{"to":"0x4d50500000000000000000000000000000000000","data":")" +
                ToHex(GetChannelStateCalldata(id)) + R"("},"latest"])");
  Bytes words;
  Append(words, QWord(1000));
  Append(words, QWord(5000));
  Append(words, QWord(1'800'000'000));
  auto state = ReadChannelState(QueryJson("\"" + ToHex(words) + "\""));
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->settled, U256(1000));
  EXPECT_EQ(state->deposit, U256(5000));
  EXPECT_EQ(state->close_requested_at, 1'800'000'000u);
  EXPECT_TRUE(state->Exists());

  auto gone = ReadChannelState(QueryJson("\"0x" + std::string(192, '0') + "\""));
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->Exists());
  EXPECT_FALSE(ReadChannelState(QueryJson("\"0x00\"")));
  EXPECT_FALSE(ReadChannelState(QueryJson("{}")));
  EXPECT_FALSE(ReadChannelState(MakeError(ErrorKind::kNetwork, "RPC eth_call: down")));
}

TEST(ChannelQueries, TheGracePeriodIsOneWord) {
  EXPECT_EQ(CloseGracePeriodParams(kChannelEscrow),
            R"([{"to":"0x4d50500000000000000000000000000000000000","data":"0x956c8327"},"latest"])");
  auto grace = ReadCloseGracePeriod(QueryJson("\"" + ToHex(QWord(900)) + "\""));
  ASSERT_TRUE(grace) << grace.error().message;
  EXPECT_EQ(*grace, 900u);
  EXPECT_FALSE(ReadCloseGracePeriod(QueryJson("\"0x\"")));
}

TEST(ChannelQueries, OnlyRangeAndSizeRefusalsCountAsTooLarge) {
  for (const char* said :
       {"RPC eth_getLogs: query returned more than 10000 results", "RPC eth_getLogs: block range too large",
        "RPC eth_getLogs: exceed maximum block range: 50000",
        "RPC eth_getLogs: eth_getLogs is limited to a 10,000 range",
        "RPC eth_getLogs: Log response size exceeded"}) {
    EXPECT_TRUE(IsLogRangeTooLarge(MakeError(ErrorKind::kNetwork, said))) << said;
  }
  EXPECT_FALSE(IsLogRangeTooLarge(MakeError(ErrorKind::kNetwork, "RPC eth_getLogs: connection refused")));
  EXPECT_FALSE(
      IsLogRangeTooLarge(MakeError(ErrorKind::kNetwork, "RPC eth_getLogs: expected an array of logs")));
  EXPECT_FALSE(IsLogRangeTooLarge(MakeError(ErrorKind::kInterrupted, "block range too large")));
}

TEST(ChannelQueries, AScanCoversTheLastHundredThousandBlocksInTwoChunksNewestFirst) {
  FakeLogNode node;
  node.logs = {OpenedQueryLog(20'000, 1), OpenedQueryLog(20'001, 2), OpenedQueryLog(70'001, 3),
               OpenedQueryLog(120'000, 4)};
  auto logs = ScanLogsBack(node.Query(), kChannelEscrow, {}, 120'000);
  ASSERT_TRUE(logs) << logs.error().message;
  EXPECT_EQ(node.asked,
            (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{70'001, 120'000}, {20'001, 70'000}}));
  ASSERT_EQ(logs->size(), 3u);                   // block 20,000 is one too far back
  EXPECT_EQ(*(*logs)[0].block_number, 20'001u);  // chain order
  EXPECT_EQ(*(*logs)[1].block_number, 70'001u);
  EXPECT_EQ(*(*logs)[2].block_number, 120'000u);
}

TEST(ChannelQueries, AYoungChainIsScannedFromGenesisInOneCall) {
  FakeLogNode node;
  ASSERT_TRUE(ScanLogsBack(node.Query(), kChannelEscrow, {}, 10));
  EXPECT_EQ(node.asked, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 10}}));
}

TEST(ChannelQueries, ARangeTheNodeRefusesIsHalvedUntilItAnswersAndStaysSmall) {
  FakeLogNode node;
  node.max_width = 20'000;
  node.logs = {OpenedQueryLog(20'001, 1), OpenedQueryLog(99'999, 2)};
  auto logs = ScanLogsBack(node.Query(), kChannelEscrow, {}, 120'000);
  ASSERT_TRUE(logs) << logs.error().message;
  EXPECT_EQ(logs->size(), 2u);
  // 50,000 and 25,000 refused, then 12,500-block ranges down to block 20,001 without a gap.
  ASSERT_GE(node.asked.size(), 3u);
  EXPECT_EQ(node.asked[0], (std::pair<std::uint64_t, std::uint64_t>{70'001, 120'000}));
  EXPECT_EQ(node.asked[1], (std::pair<std::uint64_t, std::uint64_t>{95'001, 120'000}));
  std::uint64_t next_to = 120'000;
  for (std::size_t i = 2; i < node.asked.size(); ++i) {
    EXPECT_EQ(node.asked[i].second, next_to);
    EXPECT_LE(node.asked[i].second - node.asked[i].first + 1, 12'500u);
    next_to = node.asked[i].first - 1;
  }
  EXPECT_EQ(node.asked.back().first, 20'001u);
}

TEST(ChannelQueries, AScanStopsAtAnotherErrorAndAtARefusedSingleBlock) {
  LogQuery down = [](const LogFilter&) -> Result<std::vector<EventLog>> {
    return MakeError(ErrorKind::kNetwork, "RPC eth_getLogs: connection refused");
  };
  auto failed = ScanLogsBack(down, kChannelEscrow, {}, 120'000);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "RPC eth_getLogs: connection refused");

  FakeLogNode node;
  node.max_width = 0;  // refuses everything as too large
  auto refused = ScanLogsBack(node.Query(), kChannelEscrow, {}, 120'000);
  ASSERT_FALSE(refused);
  EXPECT_LE(node.asked.size(), 17u);  // 50,000 halved down to 1 block, then it gives up
}

TEST(ChannelQueries, OpenedChannelsAreRebuiltFromTheirLogsOncePerChannel) {
  FakeLogNode node;
  node.logs = {OpenedQueryLog(5, 5000), OpenedQueryLog(6, 5000), OpenedQueryLog(7, 9000, /*chain_id=*/42431)};
  std::vector<LogFilter> filters;
  LogQuery query = node.Query();
  LogQuery recording = [&](const LogFilter& filter) {
    filters.push_back(filter);
    return query(filter);
  };
  auto found = FindChannelsOpenedBy(recording, QueryDescriptor().payer, kChannelEscrow, 4217, 100);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->size(), 1u);  // the duplicate once; the other chain's channel not at all
  EXPECT_EQ((*found)[0].descriptor, QueryDescriptor());
  EXPECT_EQ((*found)[0].channel_id, ChannelId(QueryDescriptor(), kChannelEscrow, 4217));
  EXPECT_EQ((*found)[0].deposit, U256(5000));
  EXPECT_EQ((*found)[0].block, 5u);
  ASSERT_EQ(filters.size(), 1u);
  EXPECT_EQ(filters[0].address, kChannelEscrow);
  ASSERT_EQ(filters[0].topics.size(), 3u);
  EXPECT_EQ(filters[0].topics[0], EscrowEventTopic(EscrowEventKind::kChannelOpened));
  EXPECT_FALSE(filters[0].topics[1]);
  EXPECT_EQ(filters[0].topics[2], AddressTopic(QueryDescriptor().payer));
}

TEST(ChannelQueries, AMalformedEscrowLogIsAnError) {
  FakeLogNode node;
  EventLog bad = OpenedQueryLog(5, 5000);
  bad.data.pop_back();
  node.logs = {bad};
  auto found = FindChannelsOpenedBy(node.Query(), QueryDescriptor().payer, kChannelEscrow, 4217, 100);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().kind, ErrorKind::kNetwork);
}

TEST(ChannelQueries, ChannelEventsComeNewestFirst) {
  Bytes first, second;
  Append(first, QWord(1000));
  Append(first, QWord(4000));
  Append(second, QWord(2000));
  Append(second, QWord(3000));
  FakeLogNode node;
  node.logs = {QueryLog(EscrowEventKind::kChannelClosed, first, 8),
               QueryLog(EscrowEventKind::kChannelClosed, second, 9)};
  const Hash32 id = ChannelId(QueryDescriptor(), kChannelEscrow, 4217);
  auto events = FindChannelEvents(node.Query(), EscrowEventKind::kChannelClosed, kChannelEscrow, id, 10);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(std::get<ChannelClosedEvent>((*events)[0]).refunded_to_payer, U256(3000));
  EXPECT_EQ(std::get<ChannelClosedEvent>((*events)[1]).settled_to_payee, U256(1000));
}

}  // namespace
}  // namespace mpp::tempo
