// The channel store (protocol::ChannelBook) in the data directory: <data_dir>/channels/, one JSON file
// per scope, 0600, replaced atomically (files::WriteAtomic: temporary file, fsync, rename, directory
// fsync), each guarded by an flock on its own lock file, so calls in one process and in several
// processes take turns on a channel. Also what `mpp wallet channels` lists, closes and recovers.
//
// A voucher's new cumulative is on disk twice before the voucher leaves: in the payment journal's
// fsynced record and in the channel's record. The second write (SaveJournaled) skips the fsyncs and
// stamps the record with the kernel's boot id instead: a killed process leaves the page cache, so the
// record is right while the machine runs; after a restart, a record stamped with another boot may be
// older than the journal, and reading it takes the highest cumulative the journal holds for the channel
// (which may be one increment above what was signed, never below) and writes the record durably.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mpp/channel_book.h"
#include "util/error.h"
#include "wallet/journal_record.h"

namespace mpp::wallet {

// The largest channel record mpp reads; one is well under 2 KiB.
inline constexpr std::size_t kMaxChannelRecordBytes = 64 * 1024;

class ChannelStore final : public protocol::ChannelBook {
 public:
  // `dir` is created 0700 when first written to. `journal` is the payment journal (Paths::JournalFile())
  // vouchers are recorded in; without one every Save is durable.
  explicit ChannelStore(std::filesystem::path dir, std::filesystem::path journal = {})
      : dir_(std::move(dir)), journal_(std::move(journal)) {}

  Result<std::unique_ptr<Hold>> Lock(const protocol::ChannelScope& scope) override;
  // After a restart, reconciles a record written without fsync with the journal (see above).
  Result<std::optional<protocol::StoredChannel>> Load(const protocol::ChannelScope& scope) override;
  Status Save(const protocol::StoredChannel& channel) override;
  Status SaveJournaled(const protocol::StoredChannel& channel) override;

  // Every record in the store, in file-name order, read without locks (a record is always whole), each
  // reconciled with the journal as Load does (without writing it back). kWallet naming the file for one
  // that cannot be read.
  Result<std::vector<protocol::StoredChannel>> List() const override;

  // The file of a scope's record: "<chain>-<payer>-<payee>-<token>-<escrow>.json", lowercase hex.
  std::filesystem::path RecordFile(const protocol::ChannelScope& scope) const;

 private:
  Result<protocol::StoredChannel> Read(const std::filesystem::path& file, bool* reconciled) const;

  std::filesystem::path dir_;
  std::filesystem::path journal_;
};

// A record as the store writes it (one JSON object, "v":1) and back. Parse refuses (kWallet) anything
// that is not a whole, valid record: a channel id that does not derive from the descriptor is refused
// too, so a record never points vouchers at another channel. `unsynced_boot` is the boot id a record
// written without fsync carries ("unsynced_boot"); empty for a durable one.
std::string SerializeChannel(const protocol::StoredChannel& channel, std::string_view unsynced_boot = {});
Result<protocol::StoredChannel> ParseChannel(std::string_view text, std::string* unsynced_boot = nullptr);

// The running kernel's boot id (/proc/sys/kernel/random/boot_id), read once; empty when unreadable.
const std::string& CurrentBootId();

// The highest cumulative the journal's records hold for `channel_id` (0x + 64 hex): its session
// payments' signed records and their vouchers. Zero when it has none.
U256 JournaledCumulative(const std::vector<JournalRecord>& records, std::string_view channel_id);

}  // namespace mpp::wallet
