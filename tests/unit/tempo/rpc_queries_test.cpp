#include "tempo/rpc_queries.h"

#include <gtest/gtest.h>

#include "util/hex.h"

namespace mpp::tempo {
namespace {

Result<rapidjson::Document> RpcJsonResult(const char* json) {
  rapidjson::Document doc;
  doc.Parse(json);
  return doc;
}

TEST(RpcQueries, EventTopicsAreTheTip20Signatures) {
  EXPECT_EQ(ToHex(TransferTopic()), "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  EXPECT_EQ(ToHex(TransferWithMemoTopic()),
            "0x57bc7354aa85aed339e000bccffabbc529466af35f0772c8f8ee1145927de7f0");
}

TEST(RpcQueries, AReceiptGivesStatusBlockAndTheFeeItPaid) {
  auto receipt = ReadTransactionReceipt(RpcJsonResult(
      R"({"transactionHash":"0xAB00000000000000000000000000000000000000000000000000000000000001","status":"0x1",)"
      R"("blockNumber":"0x10","gasUsed":"0x19a28","effectiveGasPrice":"0x4a817c800"})"));
  ASSERT_TRUE(receipt.ok()) << receipt.error().message;
  ASSERT_TRUE(*receipt);
  EXPECT_TRUE((*receipt)->success);
  EXPECT_EQ((*receipt)->block_number, 16u);
  EXPECT_EQ((*receipt)->transaction_hash,
            "0xab00000000000000000000000000000000000000000000000000000000000001");
  EXPECT_EQ(FeePaidInToken(**receipt), U256(2100));  // 105,000 gas at 20 gwei
}

TEST(RpcQueries, ANullReceiptIsNotMinedAndAMalformedOneIsAnError) {
  auto none = ReadTransactionReceipt(RpcJsonResult("null"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  EXPECT_FALSE(ReadTransactionReceipt(RpcJsonResult(R"({"status":"0x1"})")).ok());
  EXPECT_FALSE(ReadTransactionReceipt(RpcJsonResult(R"("0x1")")).ok());
}

TEST(RpcQueries, LogsParamsFilterByAddressTopicsAndBlocks) {
  LogFilter filter;
  filter.address = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");
  filter.topics = {TransferWithMemoTopic(), std::nullopt};
  filter.from_block = 26;
  EXPECT_EQ(LogsParams(filter),
            R"([{"address":"0x20c0000000000000000000000000000000000000","topics":)"
            R"(["0x57bc7354aa85aed339e000bccffabbc529466af35f0772c8f8ee1145927de7f0",null],)"
            R"("fromBlock":"0x1a","toBlock":"latest"}])");
}

TEST(RpcQueries, LogsAreReadStrictly) {
  auto logs = ReadLogs(RpcJsonResult(
      R"([{"address":"0x20c0000000000000000000000000000000000000","topics":)"
      R"(["0x57bc7354aa85aed339e000bccffabbc529466af35f0772c8f8ee1145927de7f0"],"data":"0x03e8",)"
      R"("transactionHash":"0x0000000000000000000000000000000000000000000000000000000000000002","blockNumber":"0x5"}])"));
  ASSERT_TRUE(logs.ok()) << logs.error().message;
  ASSERT_EQ(logs->size(), 1u);
  EXPECT_EQ((*logs)[0].block_number, 5u);
  EXPECT_EQ((*logs)[0].data, (Bytes{0x03, 0xe8}));
  EXPECT_FALSE(ReadLogs(RpcJsonResult(R"([{"address":"0x20c0000000000000000000000000000000000000"}])")).ok());
  EXPECT_FALSE(ReadLogs(RpcJsonResult(R"({})")).ok());
}

TEST(RpcQueries, TheBlockHeadHasNumberAndTimestamp) {
  auto head = ReadBlockHead(RpcJsonResult(R"({"number":"0x2a","timestamp":"0x6553f100"})"));
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->number, 42u);
  EXPECT_EQ(head->timestamp, 1700000000);
  EXPECT_FALSE(ReadBlockHead(RpcJsonResult(R"({"number":"0x2a"})")).ok());
}

TEST(RpcQueries, BalanceOfIsOneWord) {
  EXPECT_EQ(*ReadBalanceOf(
                RpcJsonResult(R"("0x00000000000000000000000000000000000000000000000000000000000003e8")")),
            U256(1000));
  EXPECT_FALSE(ReadBalanceOf(RpcJsonResult(R"("0x03e8")")).ok());
}

}  // namespace
}  // namespace mpp::tempo
