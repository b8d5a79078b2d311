#include "wallet/files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "support/wallet_test_support.h"
#include "wallet/file_lock.h"

namespace mpp::wallet {
namespace {

using testing::ModeOf;
using testing::ReadText;
using testing::TempDir;
using testing::WriteText;

// Restores the process umask at scope exit.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : saved_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(saved_); }

 private:
  mode_t saved_;
};

std::size_t EntriesIn(const std::filesystem::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++count;
  return count;
}

TEST(WriteFileAtomic, CreatesTheFileWithMode0600EvenUnderAPermissiveUmask) {
  TempDir tmp;
  const ScopedUmask umask(0);
  const auto file = tmp.path() / "key.json";
  ASSERT_TRUE(WriteFileAtomic(file, "secret").ok());
  EXPECT_EQ(ReadText(file), "secret");
  EXPECT_EQ(ModeOf(file), 0600u);
}

TEST(WriteFileAtomic, ReplacesTheOldContentAndLeavesNoTemporaryFile) {
  TempDir tmp;
  const auto file = tmp.path() / "default-wallet";
  ASSERT_TRUE(WriteFileAtomic(file, "one\n").ok());
  ASSERT_TRUE(WriteFileAtomic(file, "two\n").ok());
  EXPECT_EQ(ReadText(file), "two\n");
  EXPECT_EQ(EntriesIn(tmp.path()), 1u);
}

TEST(WriteFileAtomic, RefuseModeNeverReplacesAnExistingFile) {
  TempDir tmp;
  const auto file = tmp.path() / "main.json";
  ASSERT_TRUE(WriteFileAtomic(file, "original", ExistingFile::kRefuse).ok());
  auto again = WriteFileAtomic(file, "replacement", ExistingFile::kRefuse);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kWallet);
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(ReadText(file), "original");
  EXPECT_EQ(EntriesIn(tmp.path()), 1u);
}

TEST(WriteFileAtomic, FailsCleanlyInAMissingDirectory) {
  TempDir tmp;
  auto written = WriteFileAtomic(tmp.path() / "missing" / "f", "x");
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("missing"), std::string::npos);
}

TEST(ReadFileCapped, ReadsUpToTheCapAndRefusesMore) {
  TempDir tmp;
  const auto file = tmp.path() / "f";
  WriteText(file, "0123456789");
  auto exact = ReadFileCapped(file, 10);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(*exact, "0123456789");
  auto over = ReadFileCapped(file, 9);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("larger than 9 bytes"), std::string::npos);
}

TEST(ReadFileCapped, RefusesADirectory) {
  TempDir tmp;
  EXPECT_FALSE(ReadFileCapped(tmp.path(), 100).ok());
}

TEST(ReadPrivateFile, ReadsAFileOnlyItsOwnerCanAccess) {
  TempDir tmp;
  const auto file = tmp.path() / "k";
  ASSERT_TRUE(WriteFileAtomic(file, "key material").ok());
  auto content = ReadPrivateFile(file, 1024);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(content->str(), "key material");
}

TEST(ReadPrivateFile, RefusesAGroupReadableFileAndNamesTheChmodFix) {
  TempDir tmp;
  const auto file = tmp.path() / "k";
  ASSERT_TRUE(WriteFileAtomic(file, "key material", ExistingFile::kReplace, 0640).ok());
  auto content = ReadPrivateFile(file, 1024);
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.error().kind, ErrorKind::kWallet);
  EXPECT_NE(content.error().message.find("chmod 600 '" + file.string() + "'"), std::string::npos);
  EXPECT_NE(content.error().message.find("640"), std::string::npos);
  EXPECT_EQ(content.error().message.find("key material"), std::string::npos);
}

TEST(CheckPrivateMode, AcceptsOwnerBitsOnlyAndRefusesAnyOtherBit) {
  EXPECT_TRUE(CheckPrivateMode(0600, "f").ok());
  EXPECT_TRUE(CheckPrivateMode(0400, "f").ok());
  EXPECT_FALSE(CheckPrivateMode(0604, "f").ok());
  EXPECT_FALSE(CheckPrivateMode(0620, "f").ok());
  EXPECT_FALSE(CheckPrivateMode(0601, "f").ok());
}

TEST(ReadSecretFile, AcceptsAWorldReadablePasswordFile) {
  TempDir tmp;
  const auto file = tmp.path() / "password";
  ASSERT_TRUE(WriteFileAtomic(file, "pw\n", ExistingFile::kReplace, 0644).ok());
  auto content = ReadSecretFile(file, 1024);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(content->str(), "pw\n");
}

TEST(FileLock, AnExclusiveLockWaitsForTheHolderEvenWithinOneProcess) {
  TempDir tmp;
  const auto file = tmp.path() / "journal";
  auto first_fd = OpenFile(file, O_RDWR | O_CREAT);
  ASSERT_TRUE(first_fd.ok());
  auto first = FileLock::Acquire(std::move(*first_fd), LockMode::kExclusive, file);
  ASSERT_TRUE(first.ok());

  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    auto fd = OpenFile(file, O_RDWR);
    ASSERT_TRUE(fd.ok());
    auto second = FileLock::Acquire(std::move(*fd), LockMode::kExclusive, file);
    ASSERT_TRUE(second.ok());
    acquired = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(acquired.load());
  { auto released = std::move(*first); }  // closing the descriptor releases the lock
  waiter.join();
  EXPECT_TRUE(acquired.load());
}

}  // namespace
}  // namespace mpp::wallet
