#include "wallet/trust.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "wallet/files.h"

namespace mpp::wallet {

Status CheckControlledByUser(mode_t mode, uid_t owner_uid, uid_t user_uid, const std::filesystem::path& path,
                             std::string_view what) {
  const std::string quoted = "'" + path.string() + "'";
  if (owner_uid != user_uid && owner_uid != 0) {
    return MakeError(ErrorKind::kWallet, std::string(what) + " " + path.string() + " belongs to uid " +
                                             std::to_string(owner_uid) + ", not to you (uid " +
                                             std::to_string(user_uid) +
                                             "); mpp does not trust settings or records another user "
                                             "controls. Use your own copy, or fix it with: chown " +
                                             std::to_string(user_uid) + " " + quoted);
  }
  const bool sticky_directory = S_ISDIR(mode) && (mode & S_ISVTX) != 0;
  if ((mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky_directory) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%03o", static_cast<unsigned>(mode & 0777));
    return MakeError(ErrorKind::kWallet, std::string(what) + " " + path.string() +
                                             " is writable by other users (mode " + octal +
                                             "), so they could raise mpp's caps or rewrite its records; "
                                             "refusing to use it. Fix it with: chmod go-w " +
                                             quoted);
  }
  return {};
}

Status CheckPathControlledByUser(const std::filesystem::path& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return SystemError("cannot inspect", path, errno);
  return CheckControlledByUser(st.st_mode, st.st_uid, ::geteuid(), path, what);
}

}  // namespace mpp::wallet
