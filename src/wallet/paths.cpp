#include "wallet/paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "wallet/files.h"
#include "wallet/trust.h"

namespace mpp::wallet {

namespace fs = std::filesystem;

namespace {

// An environment value that names an absolute directory, or an empty path.
fs::path AbsoluteDirFromEnv(const EnvLookup& env, const char* name) {
  const char* value = env(name);
  if (value == nullptr || *value == '\0') return {};
  fs::path path(value);
  return path.is_absolute() ? path : fs::path();
}

// `path` and each directory above it, up to the root; `named` is what the user named, `what` what it is
// to mpp ("the data directory"). Worded as the config and data checks (trust.h) word another owner.
Status CheckEachLevel(const fs::path& path, const fs::path& named, std::string_view what) {
  const uid_t me = ::geteuid();
  for (fs::path level = path;; level = level.parent_path()) {
    struct stat st {};
    if (::lstat(level.c_str(), &st) == 0 && st.st_uid != me && st.st_uid != 0) {
      const std::string where =
          level == named ? named.string() : named.string() + " is inside " + level.string() + ", which";
      return MakeError(ErrorKind::kWallet,
                       std::string(what) + " " + where + " belongs to uid " + std::to_string(st.st_uid) +
                           ", not to you (uid " + std::to_string(me) +
                           "); that user could delete the payment journal or change keys and config. "
                           "Refusing to use it: set MPP_HOME to a directory of your own");
    }
    if (level == level.root_path() || level.parent_path() == level) return {};
  }
}

}  // namespace

Status CheckOwnership(const fs::path& dir, std::string_view what) {
  if (auto as_named = CheckEachLevel(dir, dir, what); !as_named) return as_named;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(dir, ec);
  if (ec || real == dir) return {};
  return CheckEachLevel(real, dir, what);
}

Result<Paths> ResolvePaths(const EnvLookup& env) {
  if (const char* home = env("MPP_HOME"); home != nullptr && *home != '\0') {
    std::error_code ec;
    fs::path dir = fs::absolute(fs::path(home), ec);
    if (ec) return MakeError(ErrorKind::kWallet, "cannot resolve MPP_HOME: " + ec.message());
    dir = dir.lexically_normal();
    if (auto owned = CheckOwnership(dir); !owned) return owned.error();
    return Paths{dir, dir};
  }
  const fs::path user_home = AbsoluteDirFromEnv(env, "HOME");
  fs::path config = AbsoluteDirFromEnv(env, "XDG_CONFIG_HOME");
  fs::path data = AbsoluteDirFromEnv(env, "XDG_DATA_HOME");
  if ((config.empty() || data.empty()) && user_home.empty()) {
    return MakeError(
        ErrorKind::kWallet,
        "cannot find a place for mpp's files: HOME is not set to an absolute path; set MPP_HOME");
  }
  if (config.empty()) config = user_home / ".config";
  if (data.empty()) data = user_home / ".local" / "share";
  Paths paths{(config / "mpp").lexically_normal(), (data / "mpp").lexically_normal()};
  if (auto owned = CheckOwnership(paths.config_dir, "the config directory"); !owned) return owned.error();
  if (auto owned = CheckOwnership(paths.data_dir); !owned) return owned.error();
  return paths;
}

Status EnsurePrivateDirectory(const fs::path& dir) {
  struct stat st {};
  bool created = false;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) return SystemError("cannot inspect", dir, errno);
    const fs::path parent = dir.parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec)
      return MakeError(ErrorKind::kWallet,
                       "cannot create directory " + parent.string() + ": " + ec.message());
    if (::mkdir(dir.c_str(), 0700) == 0) {
      created = true;
    } else if (errno != EEXIST) {
      return SystemError("cannot create directory", dir, errno);
    }
    if (auto synced = FsyncDirectory(parent); !synced) return synced.error();
    if (::stat(dir.c_str(), &st) != 0) return SystemError("cannot inspect", dir, errno);
  }
  if (!S_ISDIR(st.st_mode))
    return MakeError(ErrorKind::kWallet, dir.string() + " exists but is not a directory");
  if (created) {
    // mkdir's mode went through the umask; make sure the owner has full access and nobody else any.
    if ((st.st_mode & 0777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) {
      return SystemError("cannot set permissions 0700 on", dir, errno);
    }
  } else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    // Others could delete or swap key files and journal records in it. An existing directory (perhaps
    // MPP_HOME pointing somewhere shared) is otherwise left as the user set it.
    return MakeError(ErrorKind::kWallet, dir.string() +
                                             " is writable by other users; refusing to keep keys or "
                                             "the payment journal there. Fix it with: chmod 700 '" +
                                             dir.string() + "'");
  }
  if (!created) {
    // Another user's directory is theirs to rewrite, whatever its mode.
    if (auto owned = CheckControlledByUser(st.st_mode, st.st_uid, ::geteuid(), dir, "the data directory");
        !owned)
      return owned;
  }
  return {};
}

}  // namespace mpp::wallet
