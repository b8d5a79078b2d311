#include "util/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace mpp::files {

namespace fs = std::filesystem;

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) Reset(other.Release());
  return *this;
}

int UniqueFd::Release() { return std::exchange(fd_, -1); }

void UniqueFd::Reset(int fd) {
  // close(2) is not retried on EINTR: on Linux the descriptor is released either way.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Error SystemError(ErrorKind kind, std::string_view what, const fs::path& path, int errno_value) {
  std::string message(what);
  message += ' ';
  message += path.string();
  message += ": ";
  message += std::generic_category().message(errno_value);
  return MakeError(kind, std::move(message));
}

Result<UniqueFd> Open(const fs::path& path, int flags, mode_t mode, ErrorKind kind) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return SystemError(kind, "cannot open", path, errno);
  return UniqueFd(fd);
}

Result<UniqueFd> OpenRegular(const fs::path& path, struct stat& st, ErrorKind kind, int flags) {
  auto fd = Open(path, O_RDONLY | flags, 0, kind);
  if (!fd) return fd.error();
  if (::fstat(fd->get(), &st) != 0) return SystemError(kind, "cannot stat", path, errno);
  if (!S_ISREG(st.st_mode)) return MakeError(kind, path.string() + " is not a regular file");
  return fd;
}

Status WriteAll(int fd, std::string_view data, const fs::path& path_for_messages, ErrorKind kind) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return SystemError(kind, "cannot write", path_for_messages, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

Status FsyncDirectory(const fs::path& dir, ErrorKind kind) {
  auto fd = Open(dir.empty() ? fs::path(".") : dir, O_RDONLY | O_DIRECTORY, 0, kind);
  if (!fd) return fd.error();
  if (::fsync(fd->get()) != 0) return SystemError(kind, "cannot fsync directory", dir, errno);
  return {};
}

namespace {

// Removes the temporary file unless released: keeps every failure path of WriteAtomic clean.
class TempFileGuard {
 public:
  explicit TempFileGuard(std::string path) : path_(std::move(path)) {}
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;
  ~TempFileGuard() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

}  // namespace

Status WriteAtomic(const fs::path& path, std::string_view contents, ExistingFile existing, mode_t mode,
                   ErrorKind kind, Sync sync) {
  const fs::path dir = path.parent_path();
  std::string temp_name = ".";
  temp_name += path.filename().string();
  temp_name += ".tmp-XXXXXX";
  std::string temp = (dir / temp_name).string();
  const int raw_fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (raw_fd < 0) return SystemError(kind, "cannot create a temporary file in", dir, errno);
  UniqueFd fd(raw_fd);
  TempFileGuard guard(temp);

  if (::fchmod(fd.get(), mode) != 0) return SystemError(kind, "cannot set permissions on", temp, errno);
  if (auto written = WriteAll(fd.get(), contents, temp, kind); !written) return written.error();
  if (sync == Sync::kFsync && ::fsync(fd.get()) != 0) return SystemError(kind, "cannot fsync", temp, errno);
  const int fd_number = fd.Release();
  if (::close(fd_number) != 0) return SystemError(kind, "cannot close", temp, errno);

  if (existing == ExistingFile::kReplace) {
    if (::rename(temp.c_str(), path.c_str()) != 0)
      return SystemError(kind, "cannot rename a temporary file to", path, errno);
    guard.Release();
  } else {
    // link(2) fails with EEXIST instead of replacing, atomically, even against a concurrent writer.
    if (::link(temp.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) return MakeError(kind, path.string() + " already exists; not replacing it");
      return SystemError(kind, "cannot create", path, errno);
    }
    // The guard unlinks the temporary name; the data stays reachable through `path`.
  }
  if (sync == Sync::kNone) return {};
  return FsyncDirectory(dir, kind);
}

Result<std::string> ReadCapped(const fs::path& path, std::size_t max_bytes, ErrorKind kind, int flags) {
  struct stat st {};
  auto fd = OpenRegular(path, st, kind, flags);
  if (!fd) return fd.error();
  std::string content;
  content.reserve(std::min(static_cast<std::size_t>(st.st_size), max_bytes));
  char chunk[65536];
  for (;;) {
    const ssize_t got = ::read(fd->get(), chunk, sizeof chunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      return SystemError(kind, "cannot read", path, errno);
    }
    if (got == 0) break;
    if (content.size() + static_cast<std::size_t>(got) > max_bytes) {
      return MakeError(kind, path.string() + " is larger than " + std::to_string(max_bytes) +
                                 " bytes; refusing to read it");
    }
    content.append(chunk, static_cast<std::size_t>(got));
  }
  return content;
}

}  // namespace mpp::files
