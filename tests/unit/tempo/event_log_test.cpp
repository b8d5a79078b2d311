#include "tempo/event_log.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/hex.h"

namespace mpp::tempo {
namespace {

Result<EventLog> ParseLogText(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  return ParseEventLog(doc);
}

const std::string kTopic = "\"0x2a96f534665f3150977dd4c35d91373c74030288edbb3cf83c527dd25012364f\"";

TEST(EventLog, ReadsAReceiptLog) {
  auto log = ParseLogText(R"({"address":"0x4D50500000000000000000000000000000000000","topics":[)" + kTopic +
                          R"(],"data":"0x00ff","blockNumber":"0x1b","transactionHash":"0x)" +
                          std::string(64, 'a') + R"(","logIndex":"0x2","removed":false})");
  ASSERT_TRUE(log) << log.error().message;
  EXPECT_EQ(log->address.ToLowerHex(), "0x4d50500000000000000000000000000000000000");
  ASSERT_EQ(log->topics.size(), 1u);
  EXPECT_EQ(ToHex(log->topics[0]), kTopic.substr(1, 66));
  EXPECT_EQ(log->data, (Bytes{0x00, 0xff}));
  EXPECT_EQ(log->block_number, 27u);
  EXPECT_EQ(log->log_index, 2u);
  ASSERT_TRUE(log->transaction_hash);
  EXPECT_EQ((*log->transaction_hash)[0], 0xaa);
}

TEST(EventLog, PendingFieldsMayBeNullOrAbsent) {
  auto log =
      ParseLogText(R"({"address":"0x4d50500000000000000000000000000000000000","topics":[],"data":"0x",)"
                   R"("blockNumber":null,"transactionHash":null})");
  ASSERT_TRUE(log) << log.error().message;
  EXPECT_FALSE(log->block_number);
  EXPECT_FALSE(log->transaction_hash);
  EXPECT_FALSE(log->log_index);
  EXPECT_TRUE(log->data.empty());
}

TEST(EventLog, RefusesMalformedLogs) {
  const std::string address = R"("address":"0x4d50500000000000000000000000000000000000")";
  for (const std::string& bad : std::vector<std::string>{
           std::string("[]"),
           R"({"topics":[],"data":"0x"})",
           "{" + address + R"(,"data":"0x"})",
           "{" + address + R"(,"topics":[],"data":"00"})",
           "{" + address + R"(,"topics":[],"data":"0x0"})",
           "{" + address + R"(,"topics":["0x12"],"data":"0x"})",
           "{" + address + ",\"topics\":[" + kTopic + "," + kTopic + "," + kTopic + "," + kTopic + "," +
               kTopic + R"(],"data":"0x"})",
           "{" + address + R"(,"topics":[],"data":"0x","blockNumber":"27"})",
           "{" + address + R"(,"topics":[],"data":"0x","blockNumber":"0x10000000000000000"})",
           "{" + address + R"(,"topics":[],"data":"0x","transactionHash":"0x12"})",
           R"({"address":"4d50500000000000000000000000000000000000","topics":[],"data":"0x"})",
       }) {
    SCOPED_TRACE(bad);
    auto log = ParseLogText(bad);
    ASSERT_FALSE(log);
    EXPECT_EQ(log.error().kind, ErrorKind::kNetwork);
  }
}

}  // namespace
}  // namespace mpp::tempo
