#include "mpp/session_events.h"

#include <gtest/gtest.h>

#include <vector>

namespace mpp::protocol {
namespace {

const std::string kNeedChannel = "0xfe74" + std::string(56, '0') + "190c";
// SESSION.md 6.2, as an mppx 0.11 server sent it.
const std::string kNeedVoucherData =
    R"({"channelId":")" + kNeedChannel +
    R"(","requiredCumulative":"4000","acceptedCumulative":"3000","deposit":"5000"})";

TEST(SessionEvents, ParsesANeedVoucherEvent) {
  auto need = ParseNeedVoucher(kNeedVoucherData);
  ASSERT_TRUE(need) << need.error().message;
  EXPECT_EQ(need->channel_id[0], 0xfe);
  EXPECT_EQ(need->channel_id[31], 0x0c);
  EXPECT_EQ(need->required_cumulative, U256(4000));
  EXPECT_EQ(need->accepted_cumulative, U256(3000));
  EXPECT_EQ(need->deposit, U256(5000));
  EXPECT_EQ(kNeedVoucherEvent, "payment-need-voucher");
  EXPECT_EQ(kSessionReceiptEvent, "payment-receipt");
}

TEST(SessionEvents, RefusesMalformedNeedVoucherEvents) {
  auto replace = [](const std::string& from, const std::string& to) {
    std::string json = kNeedVoucherData;
    return json.replace(json.find(from), from.size(), to);
  };
  for (const std::string& bad : std::vector<std::string>{
           replace(R"("requiredCumulative":"4000")", R"("requiredCumulative":4000)"),
           replace(R"("requiredCumulative":"4000")", R"("requiredCumulative":"3000")"),
           replace(R"("requiredCumulative":"4000")",
                   R"("requiredCumulative":"79228162514264337593543950336")"),
           replace(R"("deposit":"5000")", R"("deposit":"-1")"),
           replace(R"(,"deposit":"5000")", ""),
           replace(kNeedChannel, "0xfe74"),
           replace(R"("deposit":"5000")", R"("deposit":"5000","deposit":"6000")"),
           "[]",
           "",
           std::string(kMaxNeedVoucherChars + 1, ' '),
       }) {
    SCOPED_TRACE(bad);
    auto need = ParseNeedVoucher(bad);
    ASSERT_FALSE(need);
    EXPECT_EQ(need.error().kind, ErrorKind::kNetwork);
  }
}

}  // namespace
}  // namespace mpp::protocol
