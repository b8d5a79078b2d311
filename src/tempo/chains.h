// The Tempo networks mpp knows, and their stablecoins: one table, defined once in chains.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "util/u256.h"

namespace mpp::tempo {

inline constexpr std::uint64_t kMainnetChainId = 4217;
inline constexpr std::uint64_t kTestnetChainId = 42431;
// The chain a charge request means when methodDetails.chainId is absent.
inline constexpr std::uint64_t kDefaultChargeChainId = kTestnetChainId;

struct Token {
  std::string_view symbol;
  std::string_view address;  // "0x"-prefixed hex, as published; see TokenAddress()
  int decimals;
};

struct Chain {
  std::string_view name;   // "mainnet", "testnet"
  std::string_view alias;  // a second accepted name ("moderato"), or empty
  std::uint64_t chain_id;
  std::string_view rpc_url;
  std::span<const Token> tokens;  // tokens[0] is the default MPP currency on this chain
};

// Every known chain, mainnet first.
std::span<const Chain> AllChains();
// By name or alias, exact lowercase match; nullptr when unknown.
const Chain* FindChainByName(std::string_view name);
// nullptr when unknown.
const Chain* FindChainById(std::uint64_t chain_id);

// The parsed address of a table entry (the table only holds valid addresses).
crypto::Address TokenAddress(const Token& token);
// The token on `chain` at `address`, or nullptr.
const Token* FindToken(const Chain& chain, const crypto::Address& address);
// The token on `chain` with this symbol (case-insensitive), or nullptr.
const Token* FindTokenBySymbol(const Chain& chain, std::string_view symbol);
// The default MPP currency of `chain` (tokens[0]).
const Token& DefaultToken(const Chain& chain);

// "0.001 pathUSD" for a token of a known chain, else "0.001 of token 0x...", for messages.
std::string TokenAmountText(const U256& amount, const crypto::Address& currency, std::uint64_t chain_id);
// "testnet (42431)" for a known chain, else "chain 1234", for messages.
std::string ChainText(std::uint64_t chain_id);

}  // namespace mpp::tempo
