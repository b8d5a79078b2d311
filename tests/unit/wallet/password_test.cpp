#include "wallet/password.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include "support/wallet_test_support.h"
#include "wallet/files.h"

namespace mpp::wallet {
namespace {

using testing::FakeEnv;
using testing::TempDir;
using testing::WriteText;

PasswordSources NoPrompt(std::optional<std::filesystem::path> file = std::nullopt) {
  PasswordSources sources;
  sources.password_file = std::move(file);
  sources.allow_prompt = false;
  return sources;
}

TEST(ReadPasswordFile, TakesTheFirstLineWithoutItsLineEnding) {
  TempDir tmp;
  WriteText(tmp.path() / "unix", "hunter2\nsecond line\n");
  WriteText(tmp.path() / "dos", "hunter2\r\n");
  WriteText(tmp.path() / "bare", "hunter2");
  WriteText(tmp.path() / "spaces", " hunter2 \n");
  EXPECT_EQ(ReadPasswordFile(tmp.path() / "unix")->str(), "hunter2");
  EXPECT_EQ(ReadPasswordFile(tmp.path() / "dos")->str(), "hunter2");
  EXPECT_EQ(ReadPasswordFile(tmp.path() / "bare")->str(), "hunter2");
  EXPECT_EQ(ReadPasswordFile(tmp.path() / "spaces")->str(), " hunter2 ");
}

TEST(ReadPasswordFile, RefusesAMissingFileNamingIt) {
  TempDir tmp;
  auto password = ReadPasswordFile(tmp.path() / "absent");
  ASSERT_FALSE(password.ok());
  EXPECT_EQ(password.error().kind, ErrorKind::kWallet);
  EXPECT_NE(password.error().message.find("absent"), std::string::npos);
}

TEST(ObtainPassword, APasswordFileWinsOverMppPassword) {
  TempDir tmp;
  WriteText(tmp.path() / "pw", "from file\n");
  FakeEnv env;
  env.Set("MPP_PASSWORD", "from env");
  auto password = ObtainPassword(NoPrompt(tmp.path() / "pw"), env.Lookup(), PasswordPurpose::kUnlock, "main");
  ASSERT_TRUE(password.ok());
  EXPECT_EQ(password->str(), "from file");
}

TEST(ObtainPassword, UsesMppPasswordWithoutAFile) {
  FakeEnv env;
  env.Set("MPP_PASSWORD", "from env");
  auto password = ObtainPassword(NoPrompt(), env.Lookup(), PasswordPurpose::kUnlock, "main");
  ASSERT_TRUE(password.ok());
  EXPECT_EQ(password->str(), "from env");
}

TEST(ObtainPassword, AnEmptyPasswordMayOpenAKeystoreButNeverProtectsANewOne) {
  FakeEnv env;
  env.Set("MPP_PASSWORD", "");
  auto unlock = ObtainPassword(NoPrompt(), env.Lookup(), PasswordPurpose::kUnlock, "imported");
  ASSERT_TRUE(unlock.ok());
  EXPECT_TRUE(unlock->empty());
  auto create = ObtainPassword(NoPrompt(), env.Lookup(), PasswordPurpose::kCreate, "new");
  ASSERT_FALSE(create.ok());
  EXPECT_EQ(create.error().kind, ErrorKind::kWallet);
  EXPECT_NE(create.error().message.find("--insecure-no-password"), std::string::npos);
}

TEST(ObtainPassword, WithoutAnySourceSaysHowToGiveOne) {
  FakeEnv env;
  auto unlock = ObtainPassword(NoPrompt(), env.Lookup(), PasswordPurpose::kUnlock, "main");
  ASSERT_FALSE(unlock.ok());
  EXPECT_EQ(unlock.error().kind, ErrorKind::kWallet);
  EXPECT_NE(unlock.error().message.find("wallet 'main'"), std::string::npos);
  EXPECT_NE(unlock.error().message.find("MPP_PASSWORD"), std::string::npos);
  EXPECT_NE(unlock.error().message.find("--password-file"), std::string::npos);
  auto create = ObtainPassword(NoPrompt(), env.Lookup(), PasswordPurpose::kCreate, "main");
  ASSERT_FALSE(create.ok());
  EXPECT_NE(create.error().message.find("--insecure-no-password"), std::string::npos);
}

TEST(ObtainPassword, RefusesAnOverlongMppPassword) {
  FakeEnv env;
  env.Set("MPP_PASSWORD", std::string(kMaxPasswordBytes + 1, 'x'));
  EXPECT_FALSE(ObtainPassword(NoPrompt(), env.Lookup(), PasswordPurpose::kUnlock, "main").ok());
}

TEST(PromptSecretLine, RefusesInputThatIsNotATerminal) {
  TempDir tmp;
  WriteText(tmp.path() / "f", "secret\n");
  auto fd = OpenFile(tmp.path() / "f", O_RDONLY);
  ASSERT_TRUE(fd.ok());
  auto line = PromptSecretLine("Password: ", fd->get());
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.error().message.find("not a terminal"), std::string::npos);
}

// A pseudo-terminal pair: the test types into `controller`, the prompt reads from `terminal`.
struct Pty {
  UniqueFd controller;
  UniqueFd terminal;
};

std::optional<Pty> OpenPty() {
  UniqueFd controller(::posix_openpt(O_RDWR | O_NOCTTY));
  if (!controller.valid() || ::grantpt(controller.get()) != 0 || ::unlockpt(controller.get()) != 0)
    return std::nullopt;
  const char* name = ::ptsname(controller.get());
  if (name == nullptr) return std::nullopt;
  UniqueFd terminal(::open(name, O_RDWR | O_NOCTTY));
  if (!terminal.valid()) return std::nullopt;
  return Pty{std::move(controller), std::move(terminal)};
}

TEST(PromptSecretLine, ReadsOneLineWithEchoOffAndRestoresTheTerminal) {
  auto pty = OpenPty();
  if (!pty) GTEST_SKIP() << "no pseudo-terminals here";
  termios before{};
  ASSERT_EQ(::tcgetattr(pty->terminal.get(), &before), 0);
  ASSERT_NE(before.c_lflag & ECHO, 0u);
  // Type only once echo is off, as a person would after seeing the prompt (earlier typeahead is flushed).
  std::optional<Result<SecretString>> line;
  std::thread reader([&] { line.emplace(PromptSecretLine("", pty->terminal.get())); });
  termios during{};
  for (int i = 0; i < 500; ++i) {
    ASSERT_EQ(::tcgetattr(pty->terminal.get(), &during), 0);
    if ((during.c_lflag & ECHO) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(during.c_lflag & ECHO, 0u);
  const std::string typed = "s3cret pass\n";
  ASSERT_EQ(::write(pty->controller.get(), typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  reader.join();
  ASSERT_TRUE(line.has_value());
  ASSERT_TRUE(line->ok()) << line->error().message;
  EXPECT_EQ((*line)->str(), "s3cret pass");

  termios after{};
  ASSERT_EQ(::tcgetattr(pty->terminal.get(), &after), 0);
  EXPECT_NE(after.c_lflag & ECHO, 0u);
  // Nothing typed was echoed back to the terminal.
  ASSERT_EQ(::fcntl(pty->controller.get(), F_SETFL, O_NONBLOCK), 0);
  char echoed[64];
  const ssize_t got = ::read(pty->controller.get(), echoed, sizeof echoed);
  EXPECT_EQ(std::string(echoed, got > 0 ? static_cast<std::size_t>(got) : 0).find("s3cret"),
            std::string::npos);
}

}  // namespace
}  // namespace mpp::wallet
