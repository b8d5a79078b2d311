// The channel store: records round-trip byte for byte, damaged or foreign records are refused, files
// are private, and the per-scope lock makes threads (like processes) take turns.
#include "wallet/channel_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "support/wallet_test_support.h"
#include "tempo/channel.h"
#include "util/hex.h"

namespace mpp::wallet {
namespace {

using protocol::ChannelStatus;
using protocol::StoredChannel;

StoredChannel SampleChannel() {
  StoredChannel c;
  c.descriptor.payer = *crypto::Address::Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  c.descriptor.payee = *crypto::Address::Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  c.descriptor.token = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");
  c.descriptor.authorized_signer = c.descriptor.payer;
  c.descriptor.salt[0] = 0x11;
  c.descriptor.expiring_nonce_hash[31] = 0x22;
  c.scope = {c.descriptor.payer, c.descriptor.payee, c.descriptor.token, tempo::kChannelEscrow, 42431};
  c.channel_id = tempo::ChannelId(c.descriptor, tempo::kChannelEscrow, 42431);
  c.status = ChannelStatus::kOpen;
  c.deposit = U256(5000);
  c.cumulative = U256(3000);
  c.accepted = U256(2000);
  c.spent = U256(2000);
  c.endpoint = "http://127.0.0.1:9/v1/chat/completions";
  c.realm = "127.0.0.1";
  c.opened_at = 1'900'000'000;
  c.updated_at = 1'900'000'100;
  c.pending = protocol::PendingChannelTx{protocol::PendingChannelTx::Kind::kTopUp, "0xabc", U256(5000),
                                         1'900'000'125};
  return c;
}

TEST(ChannelStore, ARecordRoundTripsThroughItsFile) {
  testing::TempDir dir;
  ChannelStore store(dir.path() / "channels");
  const StoredChannel c = SampleChannel();
  auto hold = store.Lock(c.scope);
  ASSERT_TRUE(hold.ok()) << hold.error().message;
  EXPECT_FALSE(store.Load(c.scope)->has_value());
  ASSERT_TRUE(store.Save(c).ok());
  auto loaded = store.Load(c.scope);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(SerializeChannel(**loaded), SerializeChannel(c));
  EXPECT_EQ((*loaded)->pending->deposit, U256(5000));
  struct stat st {};
  ASSERT_EQ(::stat(store.RecordFile(c.scope).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir.path() / "channels").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto all = store.List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().channel_id, c.channel_id);
}

TEST(ChannelStore, DamagedOrMisleadingRecordsAreRefused) {
  const std::string good = SerializeChannel(SampleChannel());
  ASSERT_TRUE(ParseChannel(good).ok());
  auto refused = [](const std::string& text, const std::string& why) {
    auto parsed = ParseChannel(text);
    ASSERT_FALSE(parsed.ok()) << why;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kWallet);
    EXPECT_NE(parsed.error().message.find(why), std::string::npos) << parsed.error().message;
  };
  refused(good.substr(0, good.size() / 2), "not a JSON object");
  std::string other_salt = good;
  other_salt.replace(other_salt.find("\"salt\":\"0x11"), 12, "\"salt\":\"0x12");
  refused(other_salt, "does not derive from its descriptor");
  std::string over = good;
  over.replace(over.find("\"cumulative\":\"3000\""), 19, "\"cumulative\":\"9000\"");
  refused(over, "signed more than its deposit");
  std::string status = good;
  status.replace(status.find("\"open\""), 6, "\"gone\"");
  refused(status, "unknown status");
  std::string version = good;
  version.replace(version.find("\"v\":1"), 5, "\"v\":2");
  refused(version, "version 2");
}

TEST(ChannelStore, TheLockMakesCallersOnOneScopeTakeTurns) {
  testing::TempDir dir;
  ChannelStore store(dir.path() / "channels");
  const StoredChannel c = SampleChannel();
  auto first = store.Lock(c.scope);
  ASSERT_TRUE(first.ok());
  std::atomic<bool> second_held{false};
  std::thread other([&] {
    ChannelStore again(dir.path() / "channels");  // another opener, as another process would be
    auto second = again.Lock(c.scope);
    second_held = second.ok();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(second_held.load()) << "a second holder got the scope while the first held it";
  first->reset();
  other.join();
  EXPECT_TRUE(second_held.load());
}

}  // namespace
}  // namespace mpp::wallet
