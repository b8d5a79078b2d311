// File primitives every layer that keeps files uses (the wallet's keys and journal, the llm layer's
// conversation logs): owned descriptors, whole writes, crash-safe replacement and capped reads. Each
// failure is an Error of the kind the caller names (the wallet's are kWallet, exit 6), naming the path.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.h"

namespace mpp::files {

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

// The error for a failed system call: "<what> <path>: <strerror(errno_value)>", of `kind`.
Error SystemError(ErrorKind kind, std::string_view what, const std::filesystem::path& path, int errno_value);

// open(2) with O_CLOEXEC added, retried on EINTR. `mode` applies when O_CREAT creates the file.
Result<UniqueFd> Open(const std::filesystem::path& path, int flags, mode_t mode, ErrorKind kind);

// Opens `path` read-only (with `flags` added, e.g. O_NOFOLLOW) and fills `st` from the descriptor;
// refuses anything but a regular file.
Result<UniqueFd> OpenRegular(const std::filesystem::path& path, struct stat& st, ErrorKind kind,
                             int flags = 0);

// Writes all of `data` at the current offset (or the end, with O_APPEND), retrying short writes and EINTR.
Status WriteAll(int fd, std::string_view data, const std::filesystem::path& path_for_messages,
                ErrorKind kind);

// What WriteAtomic does when `path` already exists.
enum class ExistingFile { kReplace, kRefuse };

// Whether WriteAtomic makes the new file durable (kFsync: file and directory fsynced) or only atomic
// (kNone: a process killed at any point leaves the old file or the new one, but a machine that loses
// power may come back with the old one; for data whose durable copy is elsewhere).
enum class Sync { kFsync, kNone };

// Writes `contents` to `path` so that a reader, even after a crash, sees either no file (or the old one)
// or all of the new one: a temporary file in the same directory is created with `mode`, written and
// fsynced, then renamed over `path` (kReplace) or hard-linked to it (kRefuse, which fails with "already
// exists" and leaves an existing file untouched), and the directory is fsynced. The temporary file never
// survives a failure. With Sync::kNone neither fsync is made.
Status WriteAtomic(const std::filesystem::path& path, std::string_view contents, ExistingFile existing,
                   mode_t mode, ErrorKind kind, Sync sync = Sync::kFsync);

// The whole content of a regular file of at most `max_bytes` bytes; refuses anything larger. `flags` are
// added to O_RDONLY (O_NOFOLLOW refuses a symbolic link).
Result<std::string> ReadCapped(const std::filesystem::path& path, std::size_t max_bytes, ErrorKind kind,
                               int flags = 0);

// fsync(2) on a directory, so that a create, rename or unlink inside it survives a crash.
Status FsyncDirectory(const std::filesystem::path& dir, ErrorKind kind);

}  // namespace mpp::files
