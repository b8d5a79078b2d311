// ABI calldata of the TIP-1034 escrow precompile's functions, and strict decoders of what its views
// return (SESSION.md 11.1). Every descriptor argument is the static 7-word tuple.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "tempo/channel.h"
#include "tempo/tip20.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

inline constexpr Selector kEscrowOpenSelector{0xed, 0xc5, 0x3b, 0x00};
inline constexpr Selector kEscrowSettleSelector{0x97, 0xfb, 0x51, 0x04};
inline constexpr Selector kEscrowTopUpSelector{0xdc, 0x48, 0x47, 0x1e};
inline constexpr Selector kEscrowCloseSelector{0x73, 0xb5, 0x7f, 0x74};
inline constexpr Selector kEscrowRequestCloseSelector{0x67, 0x54, 0x02, 0xe5};
inline constexpr Selector kEscrowWithdrawSelector{0x41, 0xe2, 0xc6, 0x64};
inline constexpr Selector kEscrowGetChannelSelector{0xee, 0xf9, 0x53, 0x13};
inline constexpr Selector kEscrowGetChannelStateSelector{0xd1, 0x8d, 0xa8, 0xb1};
inline constexpr Selector kEscrowCloseGracePeriodSelector{0x95, 0x6c, 0x83, 0x27};

// CLOSE_GRACE_PERIOD on chain: seconds between requestClose and the first possible withdraw.
inline constexpr std::uint64_t kDefaultCloseGraceSeconds = 900;

// The arguments of open(address payee,address operator,address token,uint96 deposit,bytes32 salt,
// address authorizedSigner); the payer is the transaction's sender.
struct OpenArguments {
  crypto::Address payee;
  crypto::Address operator_address;
  crypto::Address token;
  U256 deposit;
  Hash32 salt{};
  crypto::Address authorized_signer;
  friend bool operator==(const OpenArguments&, const OpenArguments&) = default;
};

// Encoders. Preconditions (callers check amounts they did not choose): every amount FitsUint96, every
// signature is the 65-byte voucher signature (it is written as ABI `bytes`).
Bytes OpenCalldata(const OpenArguments& arguments);
Bytes TopUpCalldata(const ChannelDescriptor& descriptor, const U256& additional_deposit);
Bytes SettleCalldata(const ChannelDescriptor& descriptor, const U256& cumulative_amount, ByteView signature);
Bytes CloseCalldata(const ChannelDescriptor& descriptor, const U256& cumulative_amount,
                    const U256& capture_amount, ByteView signature);
Bytes RequestCloseCalldata(const ChannelDescriptor& descriptor);
Bytes WithdrawCalldata(const ChannelDescriptor& descriptor);
Bytes GetChannelCalldata(const ChannelDescriptor& descriptor);
Bytes GetChannelStateCalldata(const Hash32& channel_id);
Bytes CloseGracePeriodCalldata();

// open() calldata back into its arguments; nullopt unless it is exactly the canonical encoding
// (selector, six words, clean address words, deposit within uint96).
std::optional<OpenArguments> DecodeOpenCalldata(ByteView calldata);

// A channel's packed on-chain state. A channel exists iff deposit != 0.
struct ChannelState {
  U256 settled;
  U256 deposit;
  std::uint64_t close_requested_at = 0;  // UNIX seconds; 0: no close requested
  bool Exists() const { return !deposit.IsZero(); }
  friend bool operator==(const ChannelState&, const ChannelState&) = default;
};

struct ChannelView {
  ChannelDescriptor descriptor;
  ChannelState state;
};

// getChannelState's return data: exactly three words (uint96 settled, uint96 deposit,
// closeRequestedAt). Refuses (kNetwork) another length, amounts above uint96 and a timestamp above
// 2^64-1 (uint32 on chain; an older interface said uint64, so up to 64 bits are read).
Result<ChannelState> DecodeChannelState(ByteView return_data);
// getChannel's return data: the 7-word descriptor then the 3-word state, exactly 320 bytes, address
// words clean. Refuses (kNetwork) anything else.
Result<ChannelView> DecodeGetChannel(ByteView return_data);

// CLOSE_GRACE_PERIOD()'s return data: exactly one word holding a uint64. Refuses (kNetwork) anything else.
Result<std::uint64_t> DecodeCloseGracePeriod(ByteView return_data);

// The name of the escrow's custom error that `revert_data` starts with ("AmountExceedsDeposit"), or
// nullopt for anything else (other errors, fewer than 4 bytes).
std::optional<std::string_view> EscrowErrorName(ByteView revert_data);

}  // namespace mpp::tempo
