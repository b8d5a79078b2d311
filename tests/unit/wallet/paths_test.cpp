#include "wallet/paths.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/wallet_test_support.h"
#include "util/error.h"

namespace mpp::wallet {
namespace {

using testing::FakeEnv;
using testing::ModeOf;
using testing::TempDir;

TEST(ResolvePaths, MppHomeHoldsConfigKeysAndJournal) {
  FakeEnv env;
  env.Set("MPP_HOME", "/srv/mpp/").Set("HOME", "/home/u").Set("XDG_DATA_HOME", "/data");
  auto paths = ResolvePaths(env.Lookup());
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->config_dir, "/srv/mpp/");
  EXPECT_EQ(paths->data_dir, "/srv/mpp/");
  EXPECT_EQ(paths->ConfigFile(), "/srv/mpp/config.toml");
  EXPECT_EQ(paths->KeysDir(), "/srv/mpp/keys");
  EXPECT_EQ(paths->JournalFile(), "/srv/mpp/payments.jsonl");
  EXPECT_EQ(paths->DefaultWalletFile(), "/srv/mpp/default-wallet");
}

TEST(ResolvePaths, RelativeMppHomeIsMadeAbsolute) {
  FakeEnv env;
  env.Set("MPP_HOME", "relative/dir");
  auto paths = ResolvePaths(env.Lookup());
  ASSERT_TRUE(paths.ok());
  EXPECT_TRUE(paths->data_dir.is_absolute());
  EXPECT_EQ(paths->data_dir.filename(), "dir");
}

TEST(ResolvePaths, DefaultsFollowXdgUnderHome) {
  FakeEnv env;
  env.Set("HOME", "/home/u");
  auto paths = ResolvePaths(env.Lookup());
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->config_dir, "/home/u/.config/mpp");
  EXPECT_EQ(paths->data_dir, "/home/u/.local/share/mpp");
}

TEST(ResolvePaths, AbsoluteXdgVariablesWin) {
  FakeEnv env;
  env.Set("HOME", "/home/u").Set("XDG_CONFIG_HOME", "/cfg").Set("XDG_DATA_HOME", "/data");
  auto paths = ResolvePaths(env.Lookup());
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->config_dir, "/cfg/mpp");
  EXPECT_EQ(paths->data_dir, "/data/mpp");
}

TEST(ResolvePaths, RelativeXdgVariablesAreIgnoredAsTheSpecSays) {
  FakeEnv env;
  env.Set("HOME", "/home/u").Set("XDG_CONFIG_HOME", "cfg").Set("XDG_DATA_HOME", "");
  auto paths = ResolvePaths(env.Lookup());
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->config_dir, "/home/u/.config/mpp");
  EXPECT_EQ(paths->data_dir, "/home/u/.local/share/mpp");
}

TEST(ResolvePaths, WithoutHomeOrMppHomeSaysWhatToSet) {
  FakeEnv env;
  auto paths = ResolvePaths(env.Lookup());
  ASSERT_FALSE(paths.ok());
  EXPECT_EQ(paths.error().kind, ErrorKind::kWallet);
  EXPECT_NE(paths.error().message.find("MPP_HOME"), std::string::npos);
}

TEST(EnsurePrivateDirectory, CreatesMissingParentsAndMakesTheDirectory0700) {
  TempDir tmp;
  const auto dir = tmp.path() / "a" / "b" / "mpp";
  ASSERT_TRUE(EnsurePrivateDirectory(dir).ok());
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  EXPECT_EQ(ModeOf(dir), 0700u);
  EXPECT_TRUE(EnsurePrivateDirectory(dir).ok());  // idempotent
}

TEST(EnsurePrivateDirectory, CreatesMode0700WhateverTheUmask) {
  TempDir tmp;
  const mode_t saved = ::umask(0277);  // would strip the owner's write and execute bits
  const auto made = EnsurePrivateDirectory(tmp.path() / "mpp");
  ::umask(saved);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(ModeOf(tmp.path() / "mpp"), 0700u);
}

TEST(EnsurePrivateDirectory, LeavesTheModeOfAnExistingDirectoryAlone) {
  TempDir tmp;
  const auto dir = tmp.path() / "home";
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
  ASSERT_TRUE(EnsurePrivateDirectory(dir).ok());
  EXPECT_EQ(ModeOf(dir), 0755u);
}

TEST(EnsurePrivateDirectory, RefusesADirectoryOthersCanWriteWithTheFix) {
  TempDir tmp;
  const auto dir = tmp.path() / "shared";
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  auto made = EnsurePrivateDirectory(dir);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().kind, ErrorKind::kWallet);
  EXPECT_NE(made.error().message.find("chmod 700 '" + dir.string() + "'"), std::string::npos);
}

TEST(EnsurePrivateDirectory, RefusesAPathThatIsAFile) {
  TempDir tmp;
  const auto file = tmp.path() / "mpp";
  testing::WriteText(file, "x");
  auto made = EnsurePrivateDirectory(file);
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().message.find("not a directory"), std::string::npos);
}

TEST(CheckOwnership, AcceptsOwnDirectoriesAndPartsThatDoNotExistYet) {
  TempDir tmp;
  EXPECT_TRUE(CheckOwnership(tmp.path()).ok());
  EXPECT_TRUE(CheckOwnership(tmp.path() / "not" / "yet").ok());
}

TEST(CheckOwnership, RefusesADirectoryOrParentOfAnotherUserWithExit6) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a directory to another user";
  TempDir tmp;
  const auto foreign = tmp.path() / "foreign";
  std::filesystem::create_directories(foreign / "home");
  ASSERT_EQ(::chown(foreign.c_str(), 54321, 54321), 0);
  for (const auto& dir : {foreign, foreign / "home", foreign / "home" / "missing"}) {
    auto owned = CheckOwnership(dir);
    ASSERT_FALSE(owned.ok()) << dir;
    EXPECT_EQ(ExitCode(owned.error().kind), 6);
    EXPECT_NE(owned.error().message.find("belongs to uid 54321, not to you"), std::string::npos)
        << owned.error().message;
  }
  // Reached through a symlink of our own, it is refused all the same.
  std::filesystem::create_directory_symlink(foreign / "home", tmp.path() / "link");
  EXPECT_FALSE(CheckOwnership(tmp.path() / "link").ok());
  FakeEnv env;
  env.Set("MPP_HOME", (foreign / "home").c_str());
  EXPECT_FALSE(ResolvePaths(env.Lookup()).ok());
}

}  // namespace
}  // namespace mpp::wallet
