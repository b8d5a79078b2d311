#include "wallet/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <utility>
#include <vector>

namespace mpp::wallet {

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

Error SystemError(std::string_view what, const fs::path& path, int errno_value) {
  std::string message(what);
  message += ' ';
  message += path.string();
  message += ": ";
  message += std::generic_category().message(errno_value);
  return MakeError(ErrorKind::kWallet, std::move(message));
}

Result<UniqueFd> OpenFile(const fs::path& path, int flags, mode_t mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return SystemError("cannot open", path, errno);
  return UniqueFd(fd);
}

Status WriteAll(int fd, std::string_view data, const fs::path& path_for_messages) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return SystemError("cannot write", path_for_messages, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

Status FsyncDirectory(const fs::path& dir) {
  auto fd = OpenFile(dir.empty() ? fs::path(".") : dir, O_RDONLY | O_DIRECTORY);
  if (!fd) return fd.error();
  if (::fsync(fd->get()) != 0) return SystemError("cannot fsync directory", dir, errno);
  return {};
}

namespace {

// Removes the temporary file unless released: keeps every failure path of WriteFileAtomic clean.
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

// Reads everything from `fd` into `out`, which must already have capacity for max_bytes + 1 so that the
// buffer never reallocates (a reallocation would leave an unwiped copy of a secret behind).
Status ReadIntoReserved(int fd, std::string& out, std::size_t max_bytes, const fs::path& path) {
  out.resize(max_bytes + 1);
  std::size_t used = 0;
  while (used < out.size()) {
    const ssize_t got = ::read(fd, out.data() + used, out.size() - used);
    if (got < 0) {
      if (errno == EINTR) continue;
      return SystemError("cannot read", path, errno);
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  if (used > max_bytes) {
    return MakeError(ErrorKind::kWallet, path.string() + " is larger than " + std::to_string(max_bytes) +
                                             " bytes; refusing to read it");
  }
  out.resize(used);
  return {};
}

Result<UniqueFd> OpenRegularFile(const fs::path& path, struct stat& st) {
  auto fd = OpenFile(path, O_RDONLY);
  if (!fd) return fd.error();
  if (::fstat(fd->get(), &st) != 0) return SystemError("cannot stat", path, errno);
  if (!S_ISREG(st.st_mode)) return MakeError(ErrorKind::kWallet, path.string() + " is not a regular file");
  return fd;
}

}  // namespace

Status WriteFileAtomic(const fs::path& path, std::string_view contents, ExistingFile existing, mode_t mode) {
  const fs::path dir = path.parent_path();
  std::string temp_name = ".";
  temp_name += path.filename().string();
  temp_name += ".tmp-XXXXXX";
  std::string temp = (dir / temp_name).string();
  const int raw_fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (raw_fd < 0) return SystemError("cannot create a temporary file in", dir, errno);
  UniqueFd fd(raw_fd);
  TempFileGuard guard(temp);

  if (::fchmod(fd.get(), mode) != 0) return SystemError("cannot set permissions on", temp, errno);
  if (auto written = WriteAll(fd.get(), contents, temp); !written) return written.error();
  if (::fsync(fd.get()) != 0) return SystemError("cannot fsync", temp, errno);
  const int fd_number = fd.Release();
  if (::close(fd_number) != 0) return SystemError("cannot close", temp, errno);

  if (existing == ExistingFile::kReplace) {
    if (::rename(temp.c_str(), path.c_str()) != 0)
      return SystemError("cannot rename a temporary file to", path, errno);
    guard.Release();
  } else {
    // link(2) fails with EEXIST instead of replacing, atomically, even against a concurrent writer.
    if (::link(temp.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST)
        return MakeError(ErrorKind::kWallet, path.string() + " already exists; not replacing it");
      return SystemError("cannot create", path, errno);
    }
    // The guard unlinks the temporary name; the data stays reachable through `path`.
  }
  return FsyncDirectory(dir);
}

Result<std::string> ReadFileCapped(const fs::path& path, std::size_t max_bytes) {
  struct stat st {};
  auto fd = OpenRegularFile(path, st);
  if (!fd) return fd.error();
  std::string content;
  content.reserve(static_cast<std::size_t>(st.st_size));
  char chunk[65536];
  for (;;) {
    const ssize_t got = ::read(fd->get(), chunk, sizeof chunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      return SystemError("cannot read", path, errno);
    }
    if (got == 0) break;
    if (content.size() + static_cast<std::size_t>(got) > max_bytes) {
      return MakeError(ErrorKind::kWallet, path.string() + " is larger than " + std::to_string(max_bytes) +
                                               " bytes; refusing to read it");
    }
    content.append(chunk, static_cast<std::size_t>(got));
  }
  return content;
}

Result<SecretString> ReadSecretFromFd(int fd, std::size_t max_bytes, std::string_view name_for_messages) {
  SecretString content{std::string()};
  content.mutable_str().reserve(max_bytes + 1);
  if (auto read = ReadIntoReserved(fd, content.mutable_str(), max_bytes, fs::path(name_for_messages));
      !read) {
    return read.error();
  }
  return content;
}

namespace {

Result<SecretString> ReadSecret(const fs::path& path, std::size_t max_bytes, bool require_private) {
  struct stat st {};
  auto fd = OpenRegularFile(path, st);
  if (!fd) return fd.error();
  // fstat on the descriptor we read from: no window between the check and the read.
  if (require_private) {
    if (auto private_mode = CheckPrivateMode(st.st_mode, path); !private_mode) return private_mode.error();
  }
  return ReadSecretFromFd(fd->get(), max_bytes, path.string());
}

}  // namespace

Result<SecretString> ReadPrivateFile(const fs::path& path, std::size_t max_bytes) {
  return ReadSecret(path, max_bytes, true);
}

Result<SecretString> ReadSecretFile(const fs::path& path, std::size_t max_bytes) {
  return ReadSecret(path, max_bytes, false);
}

Status CheckPrivateMode(mode_t mode, const fs::path& path) {
  if ((mode & (S_IRWXG | S_IRWXO)) == 0) return {};
  char octal[8];
  std::snprintf(octal, sizeof octal, "%03o", static_cast<unsigned>(mode & 0777));
  return MakeError(ErrorKind::kWallet,
                   path.string() + " holds a private key but other users may access it (mode " + octal +
                       "); refusing to use it. Fix it with: chmod 600 '" + path.string() + "'");
}

}  // namespace mpp::wallet
