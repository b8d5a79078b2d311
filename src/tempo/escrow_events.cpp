#include "tempo/escrow_events.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "crypto/keccak.h"

namespace mpp::tempo {
namespace {

struct EventShape {
  EscrowEventKind kind;
  std::string_view name;
  std::string_view signature;
  std::size_t data_words;
};

constexpr std::array<EventShape, 6> kEventShapes{{
    {EscrowEventKind::kChannelOpened, "ChannelOpened",
     "ChannelOpened(bytes32,address,address,address,address,address,bytes32,bytes32,uint96)", 6},
    {EscrowEventKind::kSettled, "Settled", "Settled(bytes32,address,address,uint96,uint96,uint96)", 3},
    {EscrowEventKind::kTopUp, "TopUp", "TopUp(bytes32,address,address,uint96,uint96)", 2},
    {EscrowEventKind::kCloseRequested, "CloseRequested", "CloseRequested(bytes32,address,address,uint256)",
     1},
    {EscrowEventKind::kChannelClosed, "ChannelClosed", "ChannelClosed(bytes32,address,address,uint96,uint96)",
     2},
    {EscrowEventKind::kCloseRequestCancelled, "CloseRequestCancelled",
     "CloseRequestCancelled(bytes32,address,address)", 0},
}};

const EventShape& ShapeOf(EscrowEventKind kind) {
  return *std::find_if(kEventShapes.begin(), kEventShapes.end(),
                       [&](const EventShape& s) { return s.kind == kind; });
}

Error BadEvent(std::string_view name, std::string_view what) {
  return MakeError(ErrorKind::kNetwork, "escrow event " + std::string(name) + ": " + std::string(what));
}

std::optional<crypto::Address> AddressInWord(ByteView word) {
  if (std::any_of(word.begin(), word.begin() + 12, [](std::uint8_t b) { return b != 0; }))
    return std::nullopt;
  crypto::Address out;
  std::copy(word.begin() + 12, word.end(), out.bytes.begin());
  return out;
}

// The data words of one log, each read strictly.
class EventWords {
 public:
  explicit EventWords(ByteView data) : data_(data) {}
  ByteView At(std::size_t i) const { return data_.subspan(32 * i, 32); }
  std::optional<crypto::Address> Address(std::size_t i) const { return AddressInWord(At(i)); }
  Hash32 Hash(std::size_t i) const {
    Hash32 out{};
    std::copy(At(i).begin(), At(i).end(), out.begin());
    return out;
  }
  std::optional<U256> Amount(std::size_t i) const {
    U256 v = *U256::FromBigEndian(At(i));
    return FitsUint96(v) ? std::optional<U256>(v) : std::nullopt;
  }
  U256 Uint256(std::size_t i) const { return *U256::FromBigEndian(At(i)); }

 private:
  ByteView data_;
};

template <class Event>
Event WithParties(const Hash32& channel_id, const crypto::Address& payer, const crypto::Address& payee) {
  Event e;
  e.channel_id = channel_id;
  e.payer = payer;
  e.payee = payee;
  return e;
}

}  // namespace

Hash32 EscrowEventTopic(EscrowEventKind kind) {
  static const std::array<Hash32, kEventShapes.size()> topics = [] {
    std::array<Hash32, kEventShapes.size()> out{};
    for (std::size_t i = 0; i < kEventShapes.size(); ++i) {
      out[i] = crypto::Keccak256Hash(AsBytes(kEventShapes[i].signature));
    }
    return out;
  }();
  return topics[static_cast<std::size_t>(&ShapeOf(kind) - kEventShapes.data())];
}

const Hash32& EventChannelId(const EscrowEvent& event) {
  return std::visit([](const auto& e) -> const Hash32& { return e.channel_id; }, event);
}

Result<std::optional<EscrowEvent>> DecodeEscrowEvent(const EventLog& log, const crypto::Address& escrow) {
  if (log.address != escrow || log.topics.empty()) return std::optional<EscrowEvent>();
  const EventShape* shape = nullptr;
  for (const EventShape& s : kEventShapes) {
    if (EscrowEventTopic(s.kind) == log.topics[0]) shape = &s;
  }
  if (!shape) return std::optional<EscrowEvent>();
  if (log.topics.size() != 4) return BadEvent(shape->name, "expected 4 topics");
  if (log.data.size() != 32 * shape->data_words) {
    return BadEvent(shape->name, "expected " + std::to_string(shape->data_words) + " data words");
  }
  const Hash32& channel_id = log.topics[1];
  auto payer = AddressInWord(log.topics[2]);
  auto payee = AddressInWord(log.topics[3]);
  if (!payer || !payee) return BadEvent(shape->name, "a payer or payee topic is not an address");
  EventWords words(log.data);
  auto amounts = [&](std::size_t count) {
    std::array<U256, 3> out{};
    for (std::size_t i = 0; i < count; ++i) {
      auto v = words.Amount(i);
      if (!v) return std::optional<std::array<U256, 3>>();
      out[i] = *v;
    }
    return std::optional<std::array<U256, 3>>(out);
  };
  const Error too_large = BadEvent(shape->name, "an amount above uint96");

  switch (shape->kind) {
    case EscrowEventKind::kChannelOpened: {
      ChannelOpenedEvent e;
      e.channel_id = channel_id;
      e.descriptor.payer = *payer;
      e.descriptor.payee = *payee;
      auto operator_address = words.Address(0);
      auto token = words.Address(1);
      auto signer = words.Address(2);
      auto deposit = words.Amount(5);
      if (!operator_address || !token || !signer)
        return BadEvent(shape->name, "a data word is not an address");
      if (!deposit) return too_large;
      e.descriptor.operator_address = *operator_address;
      e.descriptor.token = *token;
      e.descriptor.authorized_signer = *signer;
      e.descriptor.salt = words.Hash(3);
      e.descriptor.expiring_nonce_hash = words.Hash(4);
      e.deposit = *deposit;
      return std::optional<EscrowEvent>(e);
    }
    case EscrowEventKind::kSettled: {
      auto v = amounts(3);
      if (!v) return too_large;
      auto e = WithParties<SettledEvent>(channel_id, *payer, *payee);
      e.cumulative_amount = (*v)[0];
      e.delta_paid = (*v)[1];
      e.new_settled = (*v)[2];
      return std::optional<EscrowEvent>(e);
    }
    case EscrowEventKind::kTopUp: {
      auto v = amounts(2);
      if (!v) return too_large;
      auto e = WithParties<TopUpEvent>(channel_id, *payer, *payee);
      e.additional_deposit = (*v)[0];
      e.new_deposit = (*v)[1];
      return std::optional<EscrowEvent>(e);
    }
    case EscrowEventKind::kCloseRequested: {
      auto e = WithParties<CloseRequestedEvent>(channel_id, *payer, *payee);
      e.close_grace_end = words.Uint256(0);
      return std::optional<EscrowEvent>(e);
    }
    case EscrowEventKind::kChannelClosed: {
      auto v = amounts(2);
      if (!v) return too_large;
      auto e = WithParties<ChannelClosedEvent>(channel_id, *payer, *payee);
      e.settled_to_payee = (*v)[0];
      e.refunded_to_payer = (*v)[1];
      return std::optional<EscrowEvent>(e);
    }
    case EscrowEventKind::kCloseRequestCancelled:
      return std::optional<EscrowEvent>(WithParties<CloseRequestCancelledEvent>(channel_id, *payer, *payee));
  }
  return std::optional<EscrowEvent>();
}

}  // namespace mpp::tempo
