// An advisory whole-file lock (flock) held for the lifetime of an object.
#pragma once

#include <filesystem>

#include "util/error.h"
#include "wallet/files.h"

namespace mpp::wallet {

enum class LockMode { kShared, kExclusive };

// Owns an open file and the flock(2) on it; closing the descriptor releases the lock. flock locks belong
// to the open file description, so two opens of one file conflict even inside one process: threads and
// processes are serialized alike.
class FileLock {
 public:
  // Takes the lock on `fd`, blocking until it is granted (retried on EINTR). kWallet error on failure.
  static Result<FileLock> Acquire(UniqueFd fd, LockMode mode, const std::filesystem::path& path_for_messages);

  int fd() const { return fd_.get(); }

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace mpp::wallet
