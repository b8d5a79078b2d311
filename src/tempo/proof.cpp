#include "tempo/proof.h"

#include "crypto/keccak.h"
#include "tempo/tip20.h"
#include "util/u256.h"

namespace mpp::tempo {
namespace {

Hash32 HashText(std::string_view text) { return crypto::Keccak256Hash(AsBytes(text)); }

}  // namespace

Hash32 ProofDomainSeparator(std::uint64_t chain_id) {
  Bytes encoded;
  Append(encoded, HashText("EIP712Domain(string name,string version,uint256 chainId)"));
  Append(encoded, HashText("MPP"));
  Append(encoded, HashText("3"));
  Append(encoded, U256(chain_id).ToBigEndian32());
  return crypto::Keccak256Hash(encoded);
}

Hash32 ProofStructHash(const crypto::Address& account, std::string_view challenge_id,
                       std::string_view realm) {
  Bytes encoded;
  Append(encoded, HashText("Proof(address account,string challengeId,string realm)"));
  AppendAddressWord(encoded, account);
  Append(encoded, HashText(challenge_id));
  Append(encoded, HashText(realm));
  return crypto::Keccak256Hash(encoded);
}

Hash32 ProofDigest(std::uint64_t chain_id, const crypto::Address& account, std::string_view challenge_id,
                   std::string_view realm) {
  Bytes encoded = {0x19, 0x01};
  Append(encoded, ProofDomainSeparator(chain_id));
  Append(encoded, ProofStructHash(account, challenge_id, realm));
  return crypto::Keccak256Hash(encoded);
}

std::array<std::uint8_t, 65> SignProof(const crypto::PrivateKey& key, std::uint64_t chain_id,
                                       std::string_view challenge_id, std::string_view realm) {
  crypto::Address account = crypto::Address::FromPublicKey(key.GetPublicKey());
  return crypto::SignHash(ProofDigest(chain_id, account, challenge_id, realm), key).ToRsv();
}

std::string DidPkh(std::uint64_t chain_id, const crypto::Address& account) {
  return "did:pkh:eip155:" + std::to_string(chain_id) + ":" + account.ToChecksumHex();
}

}  // namespace mpp::tempo
