#include "wallet/file_lock.h"

#include <sys/file.h>

#include <cerrno>
#include <utility>

namespace mpp::wallet {

Result<FileLock> FileLock::Acquire(UniqueFd fd, LockMode mode,
                                   const std::filesystem::path& path_for_messages) {
  const int operation = mode == LockMode::kShared ? LOCK_SH : LOCK_EX;
  while (::flock(fd.get(), operation) != 0) {
    if (errno != EINTR) return SystemError("cannot lock", path_for_messages, errno);
  }
  return FileLock(std::move(fd));
}

}  // namespace mpp::wallet
