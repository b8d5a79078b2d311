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
#include "wallet/journal.h"

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

// A journal holding a voucher of `channel` for `cumulative`, as the session flow writes it before the
// voucher leaves.
void JournalVoucher(const std::filesystem::path& file, const StoredChannel& channel,
                    std::uint64_t cumulative) {
  JournalRecord voucher;
  voucher.type = RecordType::kVoucher;
  voucher.payment_id = "p-1";
  voucher.time = 1'900'000'200;
  voucher.channel_id = ToHex(ByteView(channel.channel_id.data(), channel.channel_id.size()));
  voucher.cumulative = U256(cumulative);
  voucher.amount = U256(1000);
  ASSERT_TRUE(Journal(file).Append(voucher).ok());
}

TEST(ChannelStore, AJournaledSaveIsStampedWithThisBootAndReadsBackAsItWasSaved) {
  ASSERT_FALSE(CurrentBootId().empty()) << "Linux has /proc/sys/kernel/random/boot_id";
  testing::TempDir dir;
  ChannelStore store(dir.path() / "channels", dir.path() / "payments.jsonl");
  StoredChannel c = SampleChannel();
  c.pending.reset();
  auto hold = store.Lock(c.scope);
  ASSERT_TRUE(hold.ok());
  ASSERT_TRUE(store.SaveJournaled(c).ok());
  const std::string text = testing::ReadText(store.RecordFile(c.scope));
  EXPECT_NE(text.find("\"unsynced_boot\":\"" + CurrentBootId() + "\""), std::string::npos) << text;
  // Even with a journal that says more (it may lead by an increment never signed), this boot's record
  // is the truth: the page cache had every write.
  JournalVoucher(dir.path() / "payments.jsonl", c, 4000);
  auto loaded = store.Load(c.scope);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->cumulative, U256(3000));
  EXPECT_EQ(testing::ReadText(store.RecordFile(c.scope)), text) << "nothing rewritten";
  // A durable save drops the stamp.
  ASSERT_TRUE(store.Save(c).ok());
  EXPECT_EQ(testing::ReadText(store.RecordFile(c.scope)), SerializeChannel(c));
  // Without a journal to back it, a journaled save is a durable one.
  ChannelStore bare(dir.path() / "channels");
  ASSERT_TRUE(bare.SaveJournaled(c).ok());
  EXPECT_EQ(testing::ReadText(store.RecordFile(c.scope)), SerializeChannel(c));
}

TEST(ChannelStore, AfterARestartARecordSavedWithoutFsyncTakesTheJournalsHigherCumulative) {
  testing::TempDir dir;
  const auto journal = dir.path() / "payments.jsonl";
  ChannelStore store(dir.path() / "channels", journal);
  StoredChannel c = SampleChannel();
  c.pending.reset();
  auto hold = store.Lock(c.scope);
  ASSERT_TRUE(hold.ok());
  ASSERT_TRUE(store.Save(c).ok());
  // The machine lost power after the journal's voucher for 4000 was fsynced: the record's rename to
  // 4000, stamped with that boot, never reached the disk, and the record on disk says 3000 from then.
  testing::WriteText(store.RecordFile(c.scope), SerializeChannel(c, "an-earlier-boot-0000"));
  JournalVoucher(journal, c, 4000);
  auto all = store.List();
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->front().cumulative, U256(4000)) << "listing reconciles too";
  EXPECT_NE(testing::ReadText(store.RecordFile(c.scope)).find("an-earlier-boot"), std::string::npos)
      << "a listing writes nothing";
  auto loaded = store.Load(c.scope);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->cumulative, U256(4000)) << "the next voucher must be above every one signed";
  StoredChannel expected = c;
  expected.cumulative = U256(4000);
  EXPECT_EQ(testing::ReadText(store.RecordFile(c.scope)), SerializeChannel(expected))
      << "the reconciled record is written durably, without a stamp";
  // A journal that holds less changes nothing but the stamp.
  testing::WriteText(store.RecordFile(c.scope), SerializeChannel(expected, "an-earlier-boot-0000"));
  ChannelStore other(dir.path() / "channels", dir.path() / "empty.jsonl");
  auto kept = other.Load(c.scope);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ((*kept)->cumulative, U256(4000));
  // A journal that cannot be read: refused, not guessed.
  testing::WriteText(store.RecordFile(c.scope), SerializeChannel(c, "an-earlier-boot-0000"));
  std::filesystem::create_directory(dir.path() / "dir.jsonl");
  ChannelStore broken(dir.path() / "channels", dir.path() / "dir.jsonl");
  auto refused = broken.Load(c.scope);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kWallet);
  EXPECT_NE(refused.error().message.find("before a restart"), std::string::npos) << refused.error().message;
  // Nor with no journal at all.
  ChannelStore bare(dir.path() / "channels");
  auto unbacked = bare.Load(c.scope);
  ASSERT_FALSE(unbacked.ok());
  EXPECT_EQ(unbacked.error().kind, ErrorKind::kWallet);
}

TEST(JournaledCumulative, TakesTheHighestOfTheChannelsSignedAndVoucherRecords) {
  JournalRecord open;
  open.type = RecordType::kSigned;
  open.channel_id = "0x" + std::string(64, 'a');
  open.cumulative = U256(1000);
  JournalRecord voucher = open;
  voucher.type = RecordType::kVoucher;
  voucher.cumulative = U256(3000);
  JournalRecord older = voucher;
  older.cumulative = U256(2000);
  JournalRecord other = voucher;
  other.channel_id = "0x" + std::string(64, 'b');
  other.cumulative = U256(9000);
  JournalRecord close = voucher;
  close.type = RecordType::kClose;
  close.cumulative = U256(8000);
  EXPECT_EQ(JournaledCumulative({open, voucher, older, other, close}, "0x" + std::string(64, 'A')),
            U256(3000));
  EXPECT_EQ(JournaledCumulative({other}, open.channel_id), U256());
}

}  // namespace
}  // namespace mpp::wallet
