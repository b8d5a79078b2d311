#include "tempo/channel.h"

#include "crypto/keccak.h"
#include "tempo/tip20.h"

namespace mpp::tempo {

U256 Uint96Max() {
  static const U256 max = *U256::FromHexQuantity("0xffffffffffffffffffffffff");
  return max;
}

bool FitsUint96(const U256& value) { return value <= Uint96Max(); }

const crypto::Address& ChannelDescriptor::VoucherSigner() const {
  return authorized_signer == crypto::Address{} ? payer : authorized_signer;
}

Bytes ChannelIdPreimage(const ChannelDescriptor& descriptor, const crypto::Address& escrow,
                        std::uint64_t chain_id) {
  Bytes out;
  out.reserve(9 * 32);
  AppendAddressWord(out, descriptor.payer);
  AppendAddressWord(out, descriptor.payee);
  AppendAddressWord(out, descriptor.operator_address);
  AppendAddressWord(out, descriptor.token);
  Append(out, descriptor.salt);
  AppendAddressWord(out, descriptor.authorized_signer);
  Append(out, descriptor.expiring_nonce_hash);
  AppendAddressWord(out, escrow);
  Append(out, U256(chain_id).ToBigEndian32());
  return out;
}

Hash32 ChannelId(const ChannelDescriptor& descriptor, const crypto::Address& escrow, std::uint64_t chain_id) {
  return crypto::Keccak256Hash(ChannelIdPreimage(descriptor, escrow, chain_id));
}

Hash32 ExpiringNonceHash(const TempoTransaction& tx, const crypto::Address& sender) {
  Bytes preimage = SenderSigningPreimage(tx);
  Append(preimage, sender.bytes);
  return crypto::Keccak256Hash(preimage);
}

}  // namespace mpp::tempo
