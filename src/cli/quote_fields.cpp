#include "cli/quote_fields.h"

#include "tempo/chains.h"
#include "util/amount.h"

namespace mpp::cli {

std::optional<std::string> TokenSymbol(const crypto::Address& currency, std::uint64_t chain_id) {
  const auto* chain = tempo::FindChainById(chain_id);
  if (chain == nullptr) return std::nullopt;
  const auto* token = tempo::FindToken(*chain, currency);
  if (token == nullptr) return std::nullopt;
  return std::string(token->symbol);
}

std::optional<std::string> KnownChainName(std::uint64_t chain_id) {
  const auto* chain = tempo::FindChainById(chain_id);
  if (chain == nullptr) return std::nullopt;
  return std::string(chain->name);
}

std::string AmountLabel(const U256& amount, const crypto::Address& currency, std::uint64_t chain_id) {
  if (auto symbol = TokenSymbol(currency, chain_id)) return FormatTokenAmount(amount) + " " + *symbol;
  return FormatTokenAmount(amount) + " of token " + currency.ToChecksumHex();
}

std::string TokenAddressLabel(const crypto::Address& currency, std::uint64_t chain_id) {
  if (auto symbol = TokenSymbol(currency, chain_id)) return *symbol + " " + currency.ToChecksumHex();
  return currency.ToChecksumHex() + " (not a known stablecoin)";
}

std::string ChainLabel(std::uint64_t chain_id) {
  if (auto name = KnownChainName(chain_id)) return *name + " (" + std::to_string(chain_id) + ")";
  return "chain " + std::to_string(chain_id) + " (unknown to mpp)";
}

std::vector<std::string> ModeNames(const protocol::ChargeRequest& request) {
  std::vector<std::string> names;
  if (request.SupportsMode(protocol::ChargeMode::kPull)) names.emplace_back("pull");
  if (request.SupportsMode(protocol::ChargeMode::kPush)) names.emplace_back("push");
  return names;
}

std::string ModesLabel(const protocol::ChargeRequest& request) {
  std::string text;
  for (const auto& name : ModeNames(request)) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  if (request.supported_modes.empty()) text += " (not stated: both)";
  return text;
}

}  // namespace mpp::cli
