// Files for keys and the journal: the file primitives of util/files.h as kWallet errors, reading secrets
// into wiping buffers and the permission check for key files. Every failure is a kWallet error naming
// the path.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.h"
#include "util/files.h"
#include "util/secret.h"

namespace mpp::wallet {

// The primitives are util/files.h's; these are them as the wallet uses them, failing with kWallet errors
// (exit 6).
using files::ExistingFile;
using files::Sync;
using files::UniqueFd;

// files::Open: open(2) with O_CLOEXEC added, retried on EINTR.
Result<UniqueFd> OpenFile(const std::filesystem::path& path, int flags, mode_t mode = 0600);

// files::WriteAll: all of `data`, retrying short writes and EINTR.
Status WriteAll(int fd, std::string_view data, const std::filesystem::path& path_for_messages);

// files::WriteAtomic: a crash leaves either the old file (or none) or all of the new one.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view contents,
                       ExistingFile existing = ExistingFile::kReplace, mode_t mode = 0600,
                       Sync sync = Sync::kFsync);

// files::ReadCapped: the whole content of a regular file of at most `max_bytes` bytes.
Result<std::string> ReadFileCapped(const std::filesystem::path& path, std::size_t max_bytes);

// The content of a file that holds a key, in a wiping buffer. Refuses (kWallet) a file that group or
// others may access, with the chmod command that fixes it, and files over `max_bytes`.
Result<SecretString> ReadPrivateFile(const std::filesystem::path& path, std::size_t max_bytes);

// Like ReadPrivateFile without the permission check, for secrets the user keeps elsewhere (a password
// file may well be a 0444 container secret).
Result<SecretString> ReadSecretFile(const std::filesystem::path& path, std::size_t max_bytes);

// Everything readable from `fd` until end of file, at most `max_bytes`, in a wiping buffer that never
// reallocates. `name_for_messages` names the source ("stdin").
Result<SecretString> ReadSecretFromFd(int fd, std::size_t max_bytes, std::string_view name_for_messages);

// Ok when `mode` grants nothing to group and others; otherwise a kWallet error naming `path` and the fix.
Status CheckPrivateMode(mode_t mode, const std::filesystem::path& path);

// files::FsyncDirectory: a create, rename or unlink inside `dir` survives a crash.
Status FsyncDirectory(const std::filesystem::path& dir);

// files::SystemError as a kWallet error: "<what> <path>: <strerror(errno_value)>".
Error SystemError(std::string_view what, const std::filesystem::path& path, int errno_value);

}  // namespace mpp::wallet
