// Where the session intent keeps its payment channels between processes (SESSION.md 7): one record per
// scope (payer, payee, token, escrow, chain), read and written under a lock on that scope, every write
// durable before the credential it describes leaves. wallet::ChannelStore implements it in the data
// directory; without one (tests) a channel lives as long as the process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/address.h"
#include "tempo/channel.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

// Which channel a payment may use: a channel belongs to exactly one scope.
struct ChannelScope {
  crypto::Address payer;
  crypto::Address payee;
  crypto::Address token;
  crypto::Address escrow;
  std::uint64_t chain_id = 0;
  friend bool operator==(const ChannelScope&, const ChannelScope&) = default;
};

enum class ChannelStatus {
  kOpening,  // the open is on disk and may have left: it may or may not be on chain
  kOpen,     // the server took the open (or the chain shows the channel)
  kClosing,  // a close was asked for (cooperative, or requestClose on chain)
  kClosed,   // the chain shows the channel gone; its deposit came back
  kStale,    // not usable: the open never landed, or the server and the chain say it is gone
};

// "opening", "open", "closing", "closed", "stale"; and back (nullopt for anything else).
std::string_view ChannelStatusName(ChannelStatus status);
std::optional<ChannelStatus> ParseChannelStatus(std::string_view name);

// An escrow transaction that was signed and may have left (an open or a top-up), kept until its
// outcome is known.
struct PendingChannelTx {
  enum class Kind { kOpen, kTopUp };
  Kind kind = Kind::kOpen;
  std::string tx_hash;             // 0x-prefixed; empty when the server pays the fee (its hash differs)
  U256 deposit;                    // what it adds to the channel
  std::uint64_t valid_before = 0;  // UNIX seconds: past it, a transaction that did not land never will
};

struct StoredChannel {
  ChannelScope scope;
  Hash32 channel_id{};
  tempo::ChannelDescriptor descriptor;  // every voucher, top-up and close needs it; on disk before the open
  ChannelStatus status = ChannelStatus::kOpening;
  U256 deposit;          // what the channel holds, as far as mpp knows
  U256 cumulative;       // the highest voucher signed: on disk before each voucher leaves
  U256 accepted;         // the last trusted receipt's acceptedCumulative
  U256 spent;            // the last trusted receipt's spent
  std::string endpoint;  // the URL paid (management POSTs and the cooperative close go there)
  std::string realm;
  std::int64_t opened_at = 0;   // UNIX seconds
  std::int64_t updated_at = 0;  // UNIX seconds
  std::optional<PendingChannelTx> pending;
};

class ChannelBook {
 public:
  virtual ~ChannelBook() = default;

  // Held while one call pays on a scope; other threads and processes wait for it.
  class Hold {
   public:
    virtual ~Hold() = default;
  };

  // Takes the scope's lock, blocking until it is free. kWallet when the store cannot be used.
  virtual Result<std::unique_ptr<Hold>> Lock(const ChannelScope& scope) = 0;
  // The scope's record, or nullopt. Call under Lock. kWallet for a record that cannot be read.
  virtual Result<std::optional<StoredChannel>> Load(const ChannelScope& scope) = 0;
  // Replaces the scope's record atomically and durably (fsynced). Call under Lock. kWallet on failure.
  virtual Status Save(const StoredChannel& channel) = 0;
  // Save, for a record whose change since the last Save is a cumulative the payment journal already
  // holds durably (its voucher's record was fsynced first): the store may skip its own fsyncs, as long
  // as a Load after the machine restarted takes the journal's cumulative when it is higher.
  virtual Status SaveJournaled(const StoredChannel& channel) { return Save(channel); }
  // Every record, read without locks (each is always whole). kWallet for one that cannot be read.
  virtual Result<std::vector<StoredChannel>> List() const = 0;
};

}  // namespace mpp::protocol
