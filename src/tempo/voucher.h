// The TIP-1034 voucher: an EIP-712 signature over (channelId, cumulativeAmount) that lets the payee
// claim up to that cumulative amount from the channel (SESSION.md 5).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "util/bytes.h"
#include "util/u256.h"

namespace mpp::tempo {

using VoucherSignature = std::array<std::uint8_t, 65>;

// keccak256(abi.encode(typeHash(EIP712Domain(string name,string version,uint256 chainId,address
// verifyingContract)), keccak256("TIP20 Channel Reserve"), keccak256("1"), chainId, escrow)).
Hash32 VoucherDomainSeparator(std::uint64_t chain_id, const crypto::Address& escrow);
// keccak256(abi.encode(typeHash(Voucher(bytes32 channelId,uint96 cumulativeAmount)), channelId,
// cumulativeAmount)). Precondition: FitsUint96(cumulative_amount).
Hash32 VoucherStructHash(const Hash32& channel_id, const U256& cumulative_amount);
// keccak256(0x19 0x01 || domainSeparator || structHash): what the signer signs and the escrow checks.
Hash32 VoucherDigest(std::uint64_t chain_id, const crypto::Address& escrow, const Hash32& channel_id,
                     const U256& cumulative_amount);

// r || s || v (v = 27/28, low-s, RFC 6979) over VoucherDigest, the only form mppx 0.11 accepts.
// Precondition: FitsUint96(cumulative_amount) (the caller checks amounts it did not choose).
VoucherSignature SignVoucher(const crypto::PrivateKey& key, std::uint64_t chain_id,
                             const crypto::Address& escrow, const Hash32& channel_id,
                             const U256& cumulative_amount);

// The address that signed `signature` (65 bytes r || s || v, v 27/28 or 0/1) over the voucher;
// nullopt when the signature is malformed or does not recover.
std::optional<crypto::Address> RecoverVoucherSigner(std::uint64_t chain_id, const crypto::Address& escrow,
                                                    const Hash32& channel_id, const U256& cumulative_amount,
                                                    ByteView signature);

}  // namespace mpp::tempo
