// File primitives for keys and the journal: owned descriptors, crash-safe private writes, capped reads
// and the permission check for key files. Every failure is a kWallet error naming the path.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.h"
#include "util/secret.h"

namespace mpp::wallet {

// Owns a file descriptor and closes it on destruction. Move-only; -1 means "none".
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership without closing.
  int Release();
  // Closes the current descriptor (if any) and takes `fd`.
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

// open(2) with O_CLOEXEC added, retried on EINTR. `mode` applies when O_CREAT creates the file.
Result<UniqueFd> OpenFile(const std::filesystem::path& path, int flags, mode_t mode = 0600);

// Writes all of `data` at the current offset (or the end, with O_APPEND), retrying short writes and EINTR.
Status WriteAll(int fd, std::string_view data, const std::filesystem::path& path_for_messages);

// What WriteFileAtomic does when `path` already exists.
enum class ExistingFile { kReplace, kRefuse };

// Writes `contents` to `path` so that a reader, even after a crash, sees either no file (or the old one)
// or all of the new one: a temporary file in the same directory is created with `mode`, written and
// fsynced, then renamed over `path` (kReplace) or hard-linked to it (kRefuse, which fails with "already
// exists" and leaves an existing file untouched), and the directory is fsynced. The temporary file never
// survives a failure.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view contents,
                       ExistingFile existing = ExistingFile::kReplace, mode_t mode = 0600);

// The whole content of a regular file of at most `max_bytes` bytes; refuses anything larger.
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

// fsync(2) on a directory, so that a create, rename or unlink inside it survives a crash.
Status FsyncDirectory(const std::filesystem::path& dir);

// The kWallet error for a failed system call: "<what> <path>: <strerror(errno_value)>".
Error SystemError(std::string_view what, const std::filesystem::path& path, int errno_value);

}  // namespace mpp::wallet
