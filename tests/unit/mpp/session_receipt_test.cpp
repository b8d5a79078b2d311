#include "mpp/session_receipt.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/base64url.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

const std::string kChannel = "0xfe74" + std::string(56, '0') + "190c";

// SESSION.md 6.6, as an mppx 0.11 server sent it (open: with txHash).
std::string ReceiptJson(const std::string& extra = R"(,"txHash":"0x579b)" + std::string(56, '1') +
                                                   R"(4d8e")") {
  return R"({"method":"tempo","intent":"session","status":"success","timestamp":"2026-12-02T14:01:07.061Z",)"
         R"("reference":")" +
         kChannel + R"(","challengeId":"qwSPAqk","channelId":")" + kChannel +
         R"(","acceptedCumulative":"1000","spent":"1000","units":1)" + extra + "}";
}

Hash32 ChannelHash() {
  Bytes b = FromHex(kChannel).value();
  Hash32 out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

TEST(SessionReceipt, ParsesTheHeaderAnMppxServerSent) {
  auto r = ParseSessionReceiptHeader(EncodeBase64Url(ReceiptJson()));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->IsSuccess());
  EXPECT_EQ(r->challenge_id, "qwSPAqk");
  EXPECT_EQ(r->channel_id, ChannelHash());
  EXPECT_EQ(r->accepted_cumulative, U256(1000));
  EXPECT_EQ(r->spent, U256(1000));
  EXPECT_EQ(r->units, 1u);
  ASSERT_TRUE(r->tx_hash);
  EXPECT_EQ((*r->tx_hash)[0], 0x57);
  EXPECT_EQ(r->timestamp, "2026-12-02T14:01:07.061Z");
  EXPECT_TRUE(CheckSessionReceipt(*r, ChannelHash(), "qwSPAqk", U256(1000)));
}

TEST(SessionReceipt, ParsesTheSseEventDataWithoutTxHash) {
  auto r = ParseSessionReceiptJson(ReceiptJson(""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->tx_hash);
  // Padding and blanks around a header value are tolerated, as for charge receipts.
  EXPECT_TRUE(ParseSessionReceiptHeader(" " + EncodeBase64Url(ReceiptJson("")) + "==\t"));
}

TEST(SessionReceipt, RefusesMalformedReceipts) {
  auto replace = [](std::string json, const std::string& from, const std::string& to) {
    auto at = json.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return json.replace(at, from.size(), to);
  };
  const std::string base = ReceiptJson("");
  for (const std::string& bad : std::vector<std::string>{
           replace(base, R"("intent":"session")", R"("intent":"charge")"),
           replace(base, R"("method":"tempo")", R"("method":"stripe")"),
           replace(base, R"("acceptedCumulative":"1000")", R"("acceptedCumulative":1000)"),
           replace(base, R"("spent":"1000")", R"("spent":"79228162514264337593543950336")"),
           replace(base, R"("units":1)", R"("units":-1)"),
           replace(base, R"("units":1)", R"("units":"1")"),
           replace(base, R"(,"units":1)", ""),
           replace(base, R"("challengeId":"qwSPAqk",)", ""),
           replace(base, R"("challengeId":"qwSPAqk")", R"("challengeId":7)"),
           replace(base, "\"channelId\":\"" + kChannel, R"("channelId":"0x12)"),
           replace(base, R"("units":1)", R"("units":1,"txHash":"0x12")"),
           replace(base, R"("units":1)", R"("units":1,"spent":"1")"),
           "[]",
           "{",
       }) {
    SCOPED_TRACE(bad);
    auto r = ParseSessionReceiptJson(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kNetwork);
  }
  EXPECT_FALSE(ParseSessionReceiptHeader("not base64url!"));
  EXPECT_FALSE(ParseSessionReceiptHeader(std::string(kMaxSessionReceiptChars + 1, 'A')));
}

TEST(SessionReceipt, ServerTextIsDisplaySafe) {
  auto r =
      ParseSessionReceiptJson(ReceiptJson("").replace(ReceiptJson("").find("qwSPAqk"), 7, "a\\u001b[31mb"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->challenge_id.find('\x1b'), std::string::npos);
}

TEST(SessionReceipt, CheckRefusesAReceiptThatClaimsMoreThanWasSigned) {
  SessionReceipt receipt = ParseSessionReceiptJson(ReceiptJson("")).value();
  auto message = [&](const SessionReceipt& r, const Hash32& channel, const char* challenge,
                     U256 signed_cumulative) {
    auto s = CheckSessionReceipt(r, channel, challenge, signed_cumulative);
    return s ? std::string("(ok)") : s.error().message;
  };
  EXPECT_EQ(message(receipt, ChannelHash(), "qwSPAqk", U256(5000)), "(ok)");
  EXPECT_NE(message(receipt, ChannelHash(), "qwSPAqk", U256(999)).find("more than the 999 signed"),
            std::string::npos);
  Hash32 other = ChannelHash();
  other[0] ^= 1;
  EXPECT_NE(message(receipt, other, "qwSPAqk", U256(5000)).find("another channel"), std::string::npos);
  EXPECT_NE(message(receipt, ChannelHash(), "other", U256(5000)).find("another challenge"),
            std::string::npos);
  SessionReceipt overspent = receipt;
  overspent.spent = U256(1001);
  EXPECT_NE(message(overspent, ChannelHash(), "qwSPAqk", U256(5000)).find("spent"), std::string::npos);
  SessionReceipt failed = receipt;
  failed.status = "failed";
  EXPECT_NE(message(failed, ChannelHash(), "qwSPAqk", U256(5000)).find("not success"), std::string::npos);
}

}  // namespace
}  // namespace mpp::protocol
