// The EIP-712 "version 3" proof for zero-amount charges (PROTOCOL.md section 6), and the DID source.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "util/bytes.h"

namespace mpp::tempo {

// keccak256(abi.encode(typeHash(EIP712Domain(string name,string version,uint256 chainId)),
// keccak256("MPP"), keccak256("3"), chainId)).
Hash32 ProofDomainSeparator(std::uint64_t chain_id);
// keccak256(abi.encode(typeHash(Proof(address account,string challengeId,string realm)), account,
// keccak256(challengeId), keccak256(realm))).
Hash32 ProofStructHash(const crypto::Address& account, std::string_view challenge_id, std::string_view realm);
// keccak256(0x19 0x01 || domainSeparator || structHash).
Hash32 ProofDigest(std::uint64_t chain_id, const crypto::Address& account, std::string_view challenge_id,
                   std::string_view realm);

// r || s || v (v = 27/28) over ProofDigest, with account = the key's address.
std::array<std::uint8_t, 65> SignProof(const crypto::PrivateKey& key, std::uint64_t chain_id,
                                       std::string_view challenge_id, std::string_view realm);

// "did:pkh:eip155:<chainId>:<EIP-55 address>", the credential's `source`.
std::string DidPkh(std::uint64_t chain_id, const crypto::Address& account);

}  // namespace mpp::tempo
