// The channel store (protocol::ChannelBook) in the data directory: <data_dir>/channels/, one JSON file
// per scope, 0600, replaced atomically (files::WriteAtomic: temporary file, fsync, rename, directory
// fsync), each guarded by an flock on its own lock file, so calls in one process and in several
// processes take turns on a channel. Also what `mpp wallet channels` lists, closes and recovers.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mpp/channel_book.h"
#include "util/error.h"

namespace mpp::wallet {

// The largest channel record mpp reads; one is well under 2 KiB.
inline constexpr std::size_t kMaxChannelRecordBytes = 64 * 1024;

class ChannelStore final : public protocol::ChannelBook {
 public:
  // `dir` is created 0700 when first written to.
  explicit ChannelStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  Result<std::unique_ptr<Hold>> Lock(const protocol::ChannelScope& scope) override;
  Result<std::optional<protocol::StoredChannel>> Load(const protocol::ChannelScope& scope) override;
  Status Save(const protocol::StoredChannel& channel) override;

  // Every record in the store, in file-name order, read without locks (a record is always whole).
  // kWallet naming the file for one that cannot be read.
  Result<std::vector<protocol::StoredChannel>> List() const override;

  // The file of a scope's record: "<chain>-<payer>-<payee>-<token>-<escrow>.json", lowercase hex.
  std::filesystem::path RecordFile(const protocol::ChannelScope& scope) const;

 private:
  std::filesystem::path dir_;
};

// A record as the store writes it (one JSON object, "v":1) and back. Parse refuses (kWallet) anything
// that is not a whole, valid record: a channel id that does not derive from the descriptor is refused
// too, so a record never points vouchers at another channel.
std::string SerializeChannel(const protocol::StoredChannel& channel);
Result<protocol::StoredChannel> ParseChannel(std::string_view text);

}  // namespace mpp::wallet
