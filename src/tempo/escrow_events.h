// The TIP-1034 escrow's events, decoded from receipt or eth_getLogs logs (SESSION.md 11.2). Every
// event has topics [signature, channelId, payer, payee]; the rest is in the data words.
#pragma once

#include <optional>
#include <variant>

#include "tempo/channel.h"
#include "tempo/event_log.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

enum class EscrowEventKind {
  kChannelOpened,
  kSettled,
  kTopUp,
  kCloseRequested,
  kChannelClosed,
  kCloseRequestCancelled
};

// topic0: keccak256 of the event's canonical signature.
Hash32 EscrowEventTopic(EscrowEventKind kind);

// Carries the full descriptor: the only place it appears on chain (recovery rebuilds from it).
struct ChannelOpenedEvent {
  Hash32 channel_id{};
  ChannelDescriptor descriptor;
  U256 deposit;
};
struct SettledEvent {
  Hash32 channel_id{};
  crypto::Address payer, payee;
  U256 cumulative_amount, delta_paid, new_settled;
};
struct TopUpEvent {
  Hash32 channel_id{};
  crypto::Address payer, payee;
  U256 additional_deposit, new_deposit;
};
struct CloseRequestedEvent {
  Hash32 channel_id{};
  crypto::Address payer, payee;
  U256 close_grace_end;  // UNIX seconds from which withdraw succeeds
};
struct ChannelClosedEvent {
  Hash32 channel_id{};
  crypto::Address payer, payee;
  U256 settled_to_payee, refunded_to_payer;
};
struct CloseRequestCancelledEvent {
  Hash32 channel_id{};
  crypto::Address payer, payee;
};

using EscrowEvent = std::variant<ChannelOpenedEvent, SettledEvent, TopUpEvent, CloseRequestedEvent,
                                 ChannelClosedEvent, CloseRequestCancelledEvent>;

// The channel an event is about.
const Hash32& EventChannelId(const EscrowEvent& event);

// Decodes `log` as an escrow event. nullopt when it is not one: emitted by another address than
// `escrow`, no topics, or a topic0 that is none of the six (e.g. a TIP-20 Transfer in the same
// receipt). Refuses (kNetwork) a log that claims an escrow event but has another topic count, the
// wrong number of data words, dirty address words or amounts above uint96.
Result<std::optional<EscrowEvent>> DecodeEscrowEvent(const EventLog& log, const crypto::Address& escrow);

}  // namespace mpp::tempo
