#include "tempo/voucher.h"

#include "crypto/keccak.h"
#include "tempo/tip20.h"

namespace mpp::tempo {
namespace {

Hash32 HashOfText(std::string_view text) { return crypto::Keccak256Hash(AsBytes(text)); }

}  // namespace

Hash32 VoucherDomainSeparator(std::uint64_t chain_id, const crypto::Address& escrow) {
  Bytes encoded;
  Append(encoded,
         HashOfText("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
  Append(encoded, HashOfText("TIP20 Channel Reserve"));
  Append(encoded, HashOfText("1"));
  Append(encoded, U256(chain_id).ToBigEndian32());
  AppendAddressWord(encoded, escrow);
  return crypto::Keccak256Hash(encoded);
}

Hash32 VoucherStructHash(const Hash32& channel_id, const U256& cumulative_amount) {
  Bytes encoded;
  Append(encoded, HashOfText("Voucher(bytes32 channelId,uint96 cumulativeAmount)"));
  Append(encoded, channel_id);
  Append(encoded, cumulative_amount.ToBigEndian32());
  return crypto::Keccak256Hash(encoded);
}

Hash32 VoucherDigest(std::uint64_t chain_id, const crypto::Address& escrow, const Hash32& channel_id,
                     const U256& cumulative_amount) {
  Bytes encoded = {0x19, 0x01};
  Append(encoded, VoucherDomainSeparator(chain_id, escrow));
  Append(encoded, VoucherStructHash(channel_id, cumulative_amount));
  return crypto::Keccak256Hash(encoded);
}

VoucherSignature SignVoucher(const crypto::PrivateKey& key, std::uint64_t chain_id,
                             const crypto::Address& escrow, const Hash32& channel_id,
                             const U256& cumulative_amount) {
  return crypto::SignHash(VoucherDigest(chain_id, escrow, channel_id, cumulative_amount), key).ToRsv();
}

std::optional<crypto::Address> RecoverVoucherSigner(std::uint64_t chain_id, const crypto::Address& escrow,
                                                    const Hash32& channel_id, const U256& cumulative_amount,
                                                    ByteView signature) {
  auto parsed = crypto::RecoverableSignature::FromRsv(signature);
  if (!parsed) return std::nullopt;
  auto key =
      crypto::RecoverPublicKey(VoucherDigest(chain_id, escrow, channel_id, cumulative_amount), *parsed);
  if (!key) return std::nullopt;
  return crypto::Address::FromPublicKey(*key);
}

}  // namespace mpp::tempo
