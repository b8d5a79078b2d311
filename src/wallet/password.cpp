#include "wallet/password.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "wallet/files.h"
#include "wallet/store.h"

namespace mpp::wallet {

namespace {

constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

// Turns terminal echo off for its lifetime; restores the saved settings on every path.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  ~EchoOff() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

void WriteToStderr(std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(STDERR_FILENO, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // a prompt that cannot be shown is not worth failing over
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

Error TooLong(std::string_view source) {
  return MakeError(ErrorKind::kWallet, "the password from " + std::string(source) + " is longer than " +
                                           std::to_string(kMaxPasswordBytes) + " bytes");
}

Result<SecretString> PromptForPassword(PasswordPurpose purpose, std::string_view wallet_name) {
  if (purpose == PasswordPurpose::kUnlock) {
    return PromptSecretLine("Password for " + QuotedWalletName(wallet_name) + ": ", STDIN_FILENO);
  }
  auto first = PromptSecretLine("New password for " + QuotedWalletName(wallet_name) + ": ", STDIN_FILENO);
  if (!first || first->empty()) return first;  // empty is refused by the caller with the right advice
  auto second = PromptSecretLine("Repeat the password: ", STDIN_FILENO);
  if (!second) return second.error();
  if (first->str() != second->str())
    return MakeError(ErrorKind::kWallet, "the two passwords differ; nothing was saved");
  return first;
}

Error NoPasswordSource(PasswordPurpose purpose, std::string_view wallet_name) {
  if (purpose == PasswordPurpose::kCreate) {
    return MakeError(ErrorKind::kWallet,
                     "a password is needed to encrypt " + QuotedWalletName(wallet_name) +
                         ": set MPP_PASSWORD, pass --password-file FILE, or run in a terminal to be asked "
                         "(--insecure-no-password stores the key unencrypted)");
  }
  return MakeError(ErrorKind::kWallet,
                   QuotedWalletName(wallet_name) +
                       " is encrypted: set MPP_PASSWORD, pass --password-file FILE, or run "
                       "in a terminal to be asked for its password");
}

}  // namespace

Result<SecretString> ReadPasswordFile(const std::filesystem::path& path) {
  auto content = ReadSecretFile(path, kMaxSecretFileBytes);
  if (!content) return content.error();
  std::string& text = content->mutable_str();
  // Truncating in place keeps the wiping buffer; only the first line is the password.
  if (const auto newline = text.find('\n'); newline != std::string::npos) text.resize(newline);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.size() > kMaxPasswordBytes) return TooLong(path.string());
  return content;
}

Result<SecretString> PromptSecretLine(std::string_view prompt, int tty_fd) {
  if (::isatty(tty_fd) == 0) return MakeError(ErrorKind::kWallet, "cannot prompt: input is not a terminal");
  SecretString line{std::string()};
  std::string& text = line.mutable_str();
  text.reserve(kMaxPasswordBytes + 1);  // never reallocates, so no unwiped copy is left behind
  {
    const EchoOff echo_off(tty_fd);
    WriteToStderr(prompt);
    for (;;) {
      char c = 0;
      const ssize_t got = ::read(tty_fd, &c, 1);
      if (got < 0) {
        WriteToStderr("\n");
        if (errno == EINTR) return MakeError(ErrorKind::kInterrupted, "interrupted while reading a password");
        return MakeError(ErrorKind::kWallet, "cannot read from the terminal");
      }
      if (got == 0) {
        if (text.empty()) {
          WriteToStderr("\n");
          return MakeError(ErrorKind::kWallet, "no input: end of file at the password prompt");
        }
        break;
      }
      if (c == '\n') break;
      if (text.size() == kMaxPasswordBytes) {
        WriteToStderr("\n");
        return TooLong("the terminal");
      }
      text.push_back(c);
    }
  }
  WriteToStderr("\n");  // the user's Enter was not echoed
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return line;
}

Result<SecretString> ReadSecretFromStdin(std::string_view prompt) {
  if (::isatty(STDIN_FILENO) != 0) return PromptSecretLine(prompt, STDIN_FILENO);
  return ReadSecretFromFd(STDIN_FILENO, kMaxSecretFileBytes, "stdin");
}

Result<SecretString> ObtainPassword(const PasswordSources& sources, const EnvLookup& env,
                                    PasswordPurpose purpose, std::string_view wallet_name) {
  Result<SecretString> password = NoPasswordSource(purpose, wallet_name);
  if (sources.password_file) {
    password = ReadPasswordFile(*sources.password_file);
  } else if (const char* from_env = env("MPP_PASSWORD"); from_env != nullptr) {
    const std::string_view value(from_env);
    if (value.size() > kMaxPasswordBytes) return TooLong("MPP_PASSWORD");
    password = SecretString(std::string(value));
  } else if (sources.allow_prompt && ::isatty(STDIN_FILENO) != 0) {
    password = PromptForPassword(purpose, wallet_name);
  }
  if (password && purpose == PasswordPurpose::kCreate && password->empty()) {
    return MakeError(ErrorKind::kWallet, "an empty password would not protect " +
                                             QuotedWalletName(wallet_name) +
                                             "; choose one, or pass --insecure-no-password to store the key "
                                             "unencrypted");
  }
  return password;
}

}  // namespace mpp::wallet
