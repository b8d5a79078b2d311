#include "tempo/escrow_events.h"

#include <gtest/gtest.h>

#include "session_vectors.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

Hash32 WordOf(std::string_view hex_digits) {
  Bytes b = FromHex(std::string(64 - hex_digits.size(), '0') + std::string(hex_digits)).value();
  Hash32 out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

Bytes DataOf(std::initializer_list<std::string_view> words) {
  Bytes out;
  for (auto w : words) Append(out, WordOf(w));
  return out;
}

const ChannelDescriptor& EventDescriptor() {
  static const ChannelDescriptor d = SDescriptor(SessionVectors()["vouchers"]["descriptor"]);
  return d;
}

EventLog LogOf(EscrowEventKind kind, Bytes data) {
  const ChannelDescriptor& d = EventDescriptor();
  EventLog log;
  log.address = kChannelEscrow;
  Hash32 payer{}, payee{};
  std::copy(d.payer.bytes.begin(), d.payer.bytes.end(), payer.begin() + 12);
  std::copy(d.payee.bytes.begin(), d.payee.bytes.end(), payee.begin() + 12);
  log.topics = {EscrowEventTopic(kind), ChannelId(d, kChannelEscrow, 4217), payer, payee};
  log.data = std::move(data);
  return log;
}

TEST(EscrowEvents, TopicsAreTheKeccakOfTheVectorSignatures) {
  const auto& events = SessionVectors()["escrowAbi"]["events"];
  EXPECT_EQ(ToHex(EscrowEventTopic(EscrowEventKind::kChannelOpened)),
            SText(events["ChannelOpened"]["topic0"]));
  EXPECT_EQ(ToHex(EscrowEventTopic(EscrowEventKind::kSettled)), SText(events["Settled"]["topic0"]));
  EXPECT_EQ(ToHex(EscrowEventTopic(EscrowEventKind::kTopUp)), SText(events["TopUp"]["topic0"]));
  EXPECT_EQ(ToHex(EscrowEventTopic(EscrowEventKind::kCloseRequested)),
            SText(events["CloseRequested"]["topic0"]));
  EXPECT_EQ(ToHex(EscrowEventTopic(EscrowEventKind::kChannelClosed)),
            SText(events["ChannelClosed"]["topic0"]));
  EXPECT_EQ(ToHex(EscrowEventTopic(EscrowEventKind::kCloseRequestCancelled)),
            SText(events["CloseRequestCancelled"]["topic0"]));
}

TEST(EscrowEvents, ChannelOpenedRebuildsTheWholeDescriptor) {
  const ChannelDescriptor& d = EventDescriptor();
  Bytes data;
  Append(data, WordOf("0"));
  Append(data, WordOf("20c000000000000000000000b9537d11c60e8b50"));
  Append(data, WordOf("346a1e1e9456f9b42a2b7b712ebe4be1ec923a6d"));
  Append(data, d.salt);
  Append(data, d.expiring_nonce_hash);
  Append(data, WordOf("1388"));
  auto decoded = DecodeEscrowEvent(LogOf(EscrowEventKind::kChannelOpened, data), kChannelEscrow);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_TRUE(decoded->has_value());
  const auto& opened = std::get<ChannelOpenedEvent>(**decoded);
  EXPECT_EQ(opened.descriptor, d);
  EXPECT_EQ(opened.deposit, U256(5000));
  EXPECT_EQ(opened.channel_id, ChannelId(d, kChannelEscrow, 4217));
  EXPECT_EQ(EventChannelId(**decoded), opened.channel_id);
}

TEST(EscrowEvents, DecodesTheAmountEvents) {
  auto decode = [](EscrowEventKind kind, Bytes data) {
    auto r = DecodeEscrowEvent(LogOf(kind, std::move(data)), kChannelEscrow);
    EXPECT_TRUE(r && r->has_value());
    return **r;
  };
  auto settled = std::get<SettledEvent>(decode(EscrowEventKind::kSettled, DataOf({"fa0", "3e8", "fa0"})));
  EXPECT_EQ(settled.cumulative_amount, U256(4000));
  EXPECT_EQ(settled.delta_paid, U256(1000));
  EXPECT_EQ(settled.new_settled, U256(4000));
  EXPECT_EQ(settled.payer, EventDescriptor().payer);
  EXPECT_EQ(settled.payee, EventDescriptor().payee);
  auto top_up = std::get<TopUpEvent>(decode(EscrowEventKind::kTopUp, DataOf({"1388", "2710"})));
  EXPECT_EQ(top_up.additional_deposit, U256(5000));
  EXPECT_EQ(top_up.new_deposit, U256(10000));
  auto requested =
      std::get<CloseRequestedEvent>(decode(EscrowEventKind::kCloseRequested, DataOf({"6553f484"})));
  EXPECT_EQ(requested.close_grace_end, U256(1700000900));
  auto closed =
      std::get<ChannelClosedEvent>(decode(EscrowEventKind::kChannelClosed, DataOf({"36b0", "3e8"})));
  EXPECT_EQ(closed.settled_to_payee, U256(14000));
  EXPECT_EQ(closed.refunded_to_payer, U256(1000));
  EXPECT_TRUE(std::holds_alternative<CloseRequestCancelledEvent>(
      decode(EscrowEventKind::kCloseRequestCancelled, {})));
}

TEST(EscrowEvents, OtherLogsAreNotEscrowEvents) {
  EventLog transfer = LogOf(EscrowEventKind::kTopUp, DataOf({"1388", "2710"}));
  transfer.topics[0] = WordOf("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  auto r = DecodeEscrowEvent(transfer, kChannelEscrow);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());

  EventLog elsewhere = LogOf(EscrowEventKind::kTopUp, DataOf({"1388", "2710"}));
  elsewhere.address = EventDescriptor().token;  // same topics, emitted by another contract
  r = DecodeEscrowEvent(elsewhere, kChannelEscrow);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());

  EventLog no_topics;
  no_topics.address = kChannelEscrow;
  r = DecodeEscrowEvent(no_topics, kChannelEscrow);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
}

TEST(EscrowEvents, RefusesMalformedEscrowEvents) {
  auto refused = [](EventLog log) {
    auto r = DecodeEscrowEvent(log, kChannelEscrow);
    return !r && r.error().kind == ErrorKind::kNetwork;
  };
  EventLog short_data = LogOf(EscrowEventKind::kTopUp, DataOf({"1388"}));
  EXPECT_TRUE(refused(short_data));
  EventLog long_data = LogOf(EscrowEventKind::kTopUp, DataOf({"1388", "2710", "0"}));
  EXPECT_TRUE(refused(long_data));
  EventLog three_topics = LogOf(EscrowEventKind::kTopUp, DataOf({"1388", "2710"}));
  three_topics.topics.pop_back();
  EXPECT_TRUE(refused(three_topics));
  EventLog dirty_payer = LogOf(EscrowEventKind::kTopUp, DataOf({"1388", "2710"}));
  dirty_payer.topics[2][0] = 1;
  EXPECT_TRUE(refused(dirty_payer));
  EXPECT_TRUE(refused(LogOf(EscrowEventKind::kTopUp, DataOf({"1000000000000000000000000", "2710"}))));
  EXPECT_TRUE(refused(LogOf(EscrowEventKind::kCloseRequestCancelled, DataOf({"0"}))));
}

}  // namespace
}  // namespace mpp::tempo
