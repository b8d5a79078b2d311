#include "tempo/chains.h"

#include <algorithm>
#include <array>

#include "util/amount.h"
#include "util/text.h"

namespace mpp::tempo {
namespace {

constexpr std::array kMainnetTokens = {
    Token{"USDC.e", "0x20C000000000000000000000b9537d11c60E8b50", 6},
};

constexpr std::array kTestnetTokens = {
    Token{"pathUSD", "0x20c0000000000000000000000000000000000000", 6},
    Token{"AlphaUSD", "0x20c0000000000000000000000000000000000001", 6},
    Token{"BetaUSD", "0x20c0000000000000000000000000000000000002", 6},
    Token{"ThetaUSD", "0x20c0000000000000000000000000000000000003", 6},
};

constexpr std::array kChains = {
    Chain{"mainnet", "", kMainnetChainId, "https://rpc.tempo.xyz", kMainnetTokens},
    Chain{"testnet", "moderato", kTestnetChainId, "https://rpc.moderato.tempo.xyz", kTestnetTokens},
};

}  // namespace

std::span<const Chain> AllChains() { return kChains; }

const Chain* FindChainByName(std::string_view name) {
  for (const Chain& chain : kChains) {
    if (name == chain.name || (!chain.alias.empty() && name == chain.alias)) return &chain;
  }
  return nullptr;
}

const Chain* FindChainById(std::uint64_t chain_id) {
  for (const Chain& chain : kChains) {
    if (chain.chain_id == chain_id) return &chain;
  }
  return nullptr;
}

crypto::Address TokenAddress(const Token& token) { return crypto::Address::Parse(token.address).value(); }

const Token* FindToken(const Chain& chain, const crypto::Address& address) {
  for (const Token& token : chain.tokens) {
    if (TokenAddress(token) == address) return &token;
  }
  return nullptr;
}

const Token* FindTokenBySymbol(const Chain& chain, std::string_view symbol) {
  for (const Token& token : chain.tokens) {
    if (EqualsIgnoreAsciiCase(token.symbol, symbol)) return &token;
  }
  return nullptr;
}

const Token& DefaultToken(const Chain& chain) { return chain.tokens.front(); }

std::string TokenAmountText(const U256& amount, const crypto::Address& currency, std::uint64_t chain_id) {
  std::string text = FormatTokenAmount(amount);
  if (const auto* chain = FindChainById(chain_id)) {
    if (const auto* token = FindToken(*chain, currency)) return text + " " + std::string(token->symbol);
  }
  return text + " of token " + currency.ToChecksumHex();
}

std::string ChainText(std::uint64_t chain_id) {
  if (const auto* chain = FindChainById(chain_id))
    return std::string(chain->name) + " (" + std::to_string(chain_id) + ")";
  return "chain " + std::to_string(chain_id);
}

}  // namespace mpp::tempo
