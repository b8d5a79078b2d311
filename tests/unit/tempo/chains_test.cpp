#include "tempo/chains.h"

#include <gtest/gtest.h>

namespace mpp::tempo {
namespace {

TEST(Chains, KnowsMainnetAndTestnet) {
  const Chain* mainnet = FindChainByName("mainnet");
  ASSERT_NE(mainnet, nullptr);
  EXPECT_EQ(mainnet->chain_id, 4217u);
  EXPECT_EQ(mainnet->rpc_url, "https://rpc.tempo.xyz");
  const Chain* testnet = FindChainByName("testnet");
  ASSERT_NE(testnet, nullptr);
  EXPECT_EQ(testnet->chain_id, 42431u);
  EXPECT_EQ(testnet->rpc_url, "https://rpc.moderato.tempo.xyz");
  EXPECT_EQ(FindChainByName("moderato"), testnet);
  EXPECT_EQ(FindChainById(4217), mainnet);
  EXPECT_EQ(FindChainById(kDefaultChargeChainId), testnet);
  EXPECT_EQ(AllChains().size(), 2u);
}

TEST(Chains, UnknownNamesAndIdsAreNull) {
  EXPECT_EQ(FindChainByName("Mainnet"), nullptr);
  EXPECT_EQ(FindChainByName(""), nullptr);
  EXPECT_EQ(FindChainById(1), nullptr);
}

TEST(Chains, EveryTokenAddressParsesAndHasSixDecimals) {
  for (const Chain& chain : AllChains()) {
    ASSERT_FALSE(chain.tokens.empty());
    for (const Token& token : chain.tokens) {
      EXPECT_TRUE(crypto::Address::Parse(token.address)) << token.symbol;
      EXPECT_EQ(token.decimals, 6);
      EXPECT_EQ(FindToken(chain, TokenAddress(token)), &token);
    }
  }
}

TEST(Chains, DefaultCurrencies) {
  EXPECT_EQ(DefaultToken(*FindChainById(kMainnetChainId)).symbol, "USDC.e");
  EXPECT_EQ(DefaultToken(*FindChainById(kMainnetChainId)).address,
            "0x20C000000000000000000000b9537d11c60E8b50");
  EXPECT_EQ(DefaultToken(*FindChainById(kTestnetChainId)).symbol, "pathUSD");
}

TEST(Chains, FindsTestnetFaucetTokens) {
  const Chain& testnet = *FindChainById(kTestnetChainId);
  auto alpha = crypto::Address::Parse("0x20c0000000000000000000000000000000000001").value();
  ASSERT_NE(FindToken(testnet, alpha), nullptr);
  EXPECT_EQ(FindToken(testnet, alpha)->symbol, "AlphaUSD");
  EXPECT_EQ(FindTokenBySymbol(testnet, "thetausd")->address, "0x20c0000000000000000000000000000000000003");
  EXPECT_EQ(FindTokenBySymbol(testnet, "BetaUSD")->address, "0x20c0000000000000000000000000000000000002");
  EXPECT_EQ(FindTokenBySymbol(testnet, "USDC.e"), nullptr);
  EXPECT_EQ(FindToken(*FindChainById(kMainnetChainId), alpha), nullptr);
}

}  // namespace
}  // namespace mpp::tempo
