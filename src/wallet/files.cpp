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

Error SystemError(std::string_view what, const fs::path& path, int errno_value) {
  return files::SystemError(ErrorKind::kWallet, what, path, errno_value);
}

Result<UniqueFd> OpenFile(const fs::path& path, int flags, mode_t mode) {
  return files::Open(path, flags, mode, ErrorKind::kWallet);
}

Status WriteAll(int fd, std::string_view data, const fs::path& path_for_messages) {
  return files::WriteAll(fd, data, path_for_messages, ErrorKind::kWallet);
}

Status FsyncDirectory(const fs::path& dir) { return files::FsyncDirectory(dir, ErrorKind::kWallet); }

Status WriteFileAtomic(const fs::path& path, std::string_view contents, ExistingFile existing, mode_t mode,
                       Sync sync) {
  return files::WriteAtomic(path, contents, existing, mode, ErrorKind::kWallet, sync);
}

Result<std::string> ReadFileCapped(const fs::path& path, std::size_t max_bytes) {
  return files::ReadCapped(path, max_bytes, ErrorKind::kWallet);
}

namespace {

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

}  // namespace

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
  auto fd = files::OpenRegular(path, st, ErrorKind::kWallet);
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
