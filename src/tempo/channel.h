// TIP-1034 payment channels: the escrow precompile's address, the channel descriptor and the two
// hashes that identify a channel (SESSION.md 4.2, 11.1).
#pragma once

#include <cstdint>

#include "crypto/address.h"
#include "tempo/transaction.h"
#include "util/bytes.h"
#include "util/u256.h"

namespace mpp::tempo {

// TIP20_CHANNEL_RESERVE, the canonical escrow of sessionProtocol "v2" (ASCII "MPP" then zeros).
inline constexpr crypto::Address kChannelEscrow{{0x4d, 0x50, 0x50}};

// Escrow amounts (deposit, settled, cumulative, capture) are uint96 on chain.
U256 Uint96Max();
bool FitsUint96(const U256& value);

// Everything the escrow derives a channel's id from, besides escrow and chain. Not stored on chain
// (only emitted in ChannelOpened): every voucher, topUp, close, requestClose and withdraw needs it.
struct ChannelDescriptor {
  crypto::Address payer;
  crypto::Address payee;
  crypto::Address operator_address;  // zero: no operator
  crypto::Address token;
  Hash32 salt{};
  crypto::Address authorized_signer;  // zero: the payer signs
  Hash32 expiring_nonce_hash{};

  // Who must sign vouchers: authorized_signer, or the payer when it is zero.
  const crypto::Address& VoucherSigner() const;

  friend bool operator==(const ChannelDescriptor&, const ChannelDescriptor&) = default;
};

// abi.encode(payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash, escrow,
// uint256 chainId): nine 32-byte words.
Bytes ChannelIdPreimage(const ChannelDescriptor& descriptor, const crypto::Address& escrow,
                        std::uint64_t chain_id);
// keccak256 of ChannelIdPreimage: the id the escrow keys the channel by.
Hash32 ChannelId(const ChannelDescriptor& descriptor, const crypto::Address& escrow, std::uint64_t chain_id);

// The open's context hash the chain seeds for every transaction: keccak256(senderSigningPreimage ||
// sender), where the preimage is SenderSigningPreimage(tx) (self-paid with its fee token, or the
// sponsored form with the 0x00 marker; a fee payer's signature never changes it).
Hash32 ExpiringNonceHash(const TempoTransaction& tx, const crypto::Address& sender);

}  // namespace mpp::tempo
