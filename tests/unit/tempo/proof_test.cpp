#include "tempo/proof.h"

#include <gtest/gtest.h>

#include "../crypto/vectors.h"
#include "util/hex.h"

namespace mpp::tempo {
namespace {

using mpp::testing::HexBytes;
using mpp::testing::Str;
using mpp::testing::Vectors;

class ProofV3 : public ::testing::Test {
 protected:
  const rapidjson::Value& v = Vectors()["proofV3"];
  crypto::Address account = crypto::Address::Parse(Str(v["account"])).value();
  std::uint64_t chain_id = v["chainId"].GetUint64();
  std::string challenge_id = Str(v["challengeId"]);
  std::string realm = Str(v["realm"]);
};

TEST_F(ProofV3, DomainSeparatorMatches) {
  EXPECT_EQ(ToHex(ProofDomainSeparator(chain_id)), Str(v["domainSeparator"]));
}

TEST_F(ProofV3, StructHashMatches) {
  EXPECT_EQ(ToHex(ProofStructHash(account, challenge_id, realm)), Str(v["structHash"]));
}

TEST_F(ProofV3, DigestMatches) {
  EXPECT_EQ(ToHex(ProofDigest(chain_id, account, challenge_id, realm)), Str(v["digest"]));
}

TEST_F(ProofV3, SignatureMatchesAndRecoversTheAccount) {
  auto key = crypto::PrivateKey::FromBytes(HexBytes(Str(v["privateKey"]))).value();
  auto signature = SignProof(key, chain_id, challenge_id, realm);
  EXPECT_EQ(ToHex(signature), Str(v["signature"]));
  auto parsed = crypto::RecoverableSignature::FromRsv(signature).value();
  auto recovered = crypto::RecoverPublicKey(ProofDigest(chain_id, account, challenge_id, realm), parsed);
  ASSERT_TRUE(recovered);
  EXPECT_EQ(crypto::Address::FromPublicKey(*recovered), account);
}

TEST_F(ProofV3, DigestDependsOnChainChallengeAndRealm) {
  Hash32 base = ProofDigest(chain_id, account, challenge_id, realm);
  EXPECT_NE(ProofDigest(4217, account, challenge_id, realm), base);
  EXPECT_NE(ProofDigest(chain_id, account, challenge_id + "x", realm), base);
  EXPECT_NE(ProofDigest(chain_id, account, challenge_id, realm + "x"), base);
}

TEST(DidPkh, UsesTheChecksummedAddress) {
  auto account = crypto::Address::Parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266").value();
  EXPECT_EQ(DidPkh(42431, account), "did:pkh:eip155:42431:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_EQ(DidPkh(4217, account), "did:pkh:eip155:4217:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
}

}  // namespace
}  // namespace mpp::tempo
