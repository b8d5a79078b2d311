// Where a wallet password comes from: --password-file, MPP_PASSWORD, or a no-echo prompt on a terminal.
// Never from argv: no function here takes a password as a plain argument.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

#include "util/error.h"
#include "util/secret.h"
#include "wallet/env.h"

namespace mpp::wallet {

// kUnlock: open an existing keystore. kCreate: protect a new one (prompted twice; empty refused).
enum class PasswordPurpose { kUnlock, kCreate };

// What the command line offers.
struct PasswordSources {
  std::optional<std::filesystem::path> password_file;  // --password-file
  bool allow_prompt = true;                            // false: never prompt (e.g. --no-input)
};

// The longest password accepted from any source.
inline constexpr std::size_t kMaxPasswordBytes = 4096;

// The password for `wallet_name`, from the first source that is set, in this order: --password-file,
// MPP_PASSWORD, a no-echo prompt when stdin is a terminal (asked twice for kCreate). kCreate refuses an
// empty password and points at --insecure-no-password. kWallet error, saying how to supply one, when
// no source is available.
Result<SecretString> ObtainPassword(const PasswordSources& sources, const EnvLookup& env,
                                    PasswordPurpose purpose, std::string_view wallet_name);

// The first line of a password file, without its line ending (geth's and Foundry's convention).
// Refuses files larger than 64 KiB and a first line over kMaxPasswordBytes.
Result<SecretString> ReadPasswordFile(const std::filesystem::path& path);

// Writes `prompt` to stderr, reads one line from the terminal `tty_fd` with echo off (restored on every
// path, including errors), and returns it without the newline. kWallet error when `tty_fd` is not a
// terminal, on end of input, or for a line over kMaxPasswordBytes.
Result<SecretString> PromptSecretLine(std::string_view prompt, int tty_fd);

// A secret typed or piped into stdin (the hex key for `wallet import`): a no-echo prompt when stdin is a
// terminal, otherwise all of stdin (at most 64 KiB) with surrounding whitespace left for the parser.
Result<SecretString> ReadSecretFromStdin(std::string_view prompt);

}  // namespace mpp::wallet
