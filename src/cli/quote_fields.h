// Labels for the fields of a charge request, shared by the quote table and its JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/address.h"
#include "mpp/charge_request.h"
#include "util/u256.h"

namespace mpp::cli {

// The token's symbol when `currency` is a known stablecoin of chain `chain_id`, else nullopt.
std::optional<std::string> TokenSymbol(const crypto::Address& currency, std::uint64_t chain_id);
// The chain's name ("testnet") when known, else nullopt.
std::optional<std::string> KnownChainName(std::uint64_t chain_id);

// "0.001 pathUSD", or "0.001 of token 0x..." for an unknown token.
std::string AmountLabel(const U256& amount, const crypto::Address& currency, std::uint64_t chain_id);
// "pathUSD 0x20c0...", or "0x... (not a known stablecoin)".
std::string TokenAddressLabel(const crypto::Address& currency, std::uint64_t chain_id);
// "testnet (42431)", or "chain 1 (unknown to mpp)".
std::string ChainLabel(std::uint64_t chain_id);
// The modes the server accepts, as names; both when it did not say.
std::vector<std::string> ModeNames(const protocol::ChargeRequest& request);
// "pull, push", with "(not stated: both)" when the server did not say.
std::string ModesLabel(const protocol::ChargeRequest& request);

}  // namespace mpp::cli
