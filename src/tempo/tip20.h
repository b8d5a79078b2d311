// Calldata for the TIP-20 token functions an MPP payment uses (ABI-encoded, 32-byte words).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "crypto/address.h"
#include "util/bytes.h"
#include "util/u256.h"

namespace mpp::tempo {

using Selector = std::array<std::uint8_t, 4>;
inline constexpr Selector kTransferSelector{0xa9, 0x05, 0x9c, 0xbb};          // transfer(address,uint256)
inline constexpr Selector kTransferWithMemoSelector{0x95, 0x77, 0x7d, 0x59};  // ...(address,uint256,bytes32)
inline constexpr Selector kBalanceOfSelector{0x70, 0xa0, 0x82, 0x31};         // balanceOf(address)
inline constexpr Selector kDecimalsSelector{0x31, 0x3c, 0xe5, 0x67};          // decimals()

// Appends abi.encode of a static address: the 20 bytes left-padded with zeros to one 32-byte word.
void AppendAddressWord(Bytes& out, const crypto::Address& address);

Bytes TransferCalldata(const crypto::Address& to, const U256& amount);
Bytes TransferWithMemoCalldata(const crypto::Address& to, const U256& amount, const Hash32& memo);
Bytes BalanceOfCalldata(const crypto::Address& owner);
Bytes DecimalsCalldata();

// A decoded transfer or transferWithMemo call.
struct Tip20Transfer {
  crypto::Address to;
  U256 amount;
  std::optional<Hash32> memo;  // set for transferWithMemo
  friend bool operator==(const Tip20Transfer&, const Tip20Transfer&) = default;
};

// Decodes transfer/transferWithMemo calldata. nullopt for any other selector, a wrong length, or an
// address word whose upper 12 bytes are not zero.
std::optional<Tip20Transfer> DecodeTransferCalldata(ByteView calldata);

// Decodes one ABI uint256 return word (e.g. an eth_call result of balanceOf). nullopt unless
// exactly 32 bytes.
std::optional<U256> DecodeUint256Word(ByteView word);

}  // namespace mpp::tempo
