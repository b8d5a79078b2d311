// The session intent: pay a TIP-1034 payment channel by vouchers. The first paid call to a payee opens
// a channel (the open transaction rides in the credential; the server broadcasts it) with a voucher
// for that call; later calls in the same process sign a voucher for the new cumulative amount only.
// Vouchers on one channel are signed one at a time: a call holds its channel until its answer is in.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include "mpp/intent.h"
#include "tempo/channel.h"

namespace mpp::protocol {

// A channel this process opened, as far as this process knows it.
struct OpenChannel {
  tempo::ChannelDescriptor descriptor;
  Hash32 channel_id{};
  crypto::Address escrow;
  std::uint64_t chain_id = 0;
  U256 deposit;
  U256 cumulative;  // the highest voucher signed and sent
};

class SessionIntent final : public Intent {
 public:
  std::string_view Name() const override { return "session"; }
  // JudgeSessionChallenge.
  void Judge(ChallengeVerdict& verdict, const PayPolicy& policy) const override;
  // Opens a channel (fee quote and cost checks first; the deposit is lowered to what the balance
  // holds beyond the fee) or, on a channel already open, signs the next voucher; one that would pass
  // the deposit is preceded by a top-up within --max-deposit (sent on the second connection).
  Result<std::unique_ptr<PreparedPayment>> Prepare(const ChallengeVerdict& verdict,
                                                   const net::HttpRequest& request,
                                                   IntentContext& context) override;

  // Whether this process has a channel open to the verdict's payee, token, escrow and chain.
  // In the store, any payer's open record counts (the payer is not known before the key is read).
  bool HasStanding(const ChallengeVerdict& verdict, const ChannelBook* channels) const override;
  // The channel to (payer, payee, token, escrow, chain), when this process has one open.
  std::optional<OpenChannel> FindChannel(const crypto::Address& payer, const crypto::Address& payee,
                                         const crypto::Address& token, const crypto::Address& escrow,
                                         std::uint64_t chain_id);

  // One channel scope; a call holds its slot's mutex from Prepare until its answer is accounted for.
  struct Slot {
    std::mutex busy;
    std::optional<OpenChannel> channel;  // set once an open settled
    std::atomic<bool> open{false};       // channel is set (readable without waiting for `busy`)
  };

 private:
  using Scope = std::tuple<crypto::Address, crypto::Address, crypto::Address, crypto::Address, std::uint64_t>;
  std::shared_ptr<Slot> SlotFor(const Scope& scope);

  mutable std::mutex slots_mutex_;
  std::map<Scope, std::shared_ptr<Slot>> slots_;
};

}  // namespace mpp::protocol
