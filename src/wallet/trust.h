// Whether a file or directory that steers payments (the config file, the data directory) is under the
// user's sole control: anyone else who can write it could raise the caps or swap journal records.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "util/error.h"

namespace mpp::wallet {

// Ok when the entry (its `mode` and owner `owner_uid`, from stat) is owned by `user_uid` or by root and
// grants no write access to group or others; a directory with the sticky bit (like /tmp) may be
// writable by others, since they cannot replace what they do not own in it. Otherwise a kWallet error
// naming `what` ("the config file"), `path` and the command that fixes it. Pure.
Status CheckControlledByUser(mode_t mode, uid_t owner_uid, uid_t user_uid, const std::filesystem::path& path,
                             std::string_view what);

// stat(2) of `path` checked with CheckControlledByUser against this process's effective uid.
// kWallet when the entry cannot be inspected.
Status CheckPathControlledByUser(const std::filesystem::path& path, std::string_view what);

}  // namespace mpp::wallet
