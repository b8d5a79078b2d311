#include "mpp/policy.h"

#include <algorithm>

#include "tempo/chains.h"

namespace mpp::protocol {
namespace {

bool InList(const std::vector<crypto::Address>& list, const crypto::Address& a) {
  return std::find(list.begin(), list.end(), a) != list.end();
}

}  // namespace

std::string PayeeRefusal(std::uint64_t chain_id, const crypto::Address& currency,
                         const crypto::Address& recipient, const PayPolicy& policy) {
  if (chain_id != policy.chain_id) {
    return "it asks for payment on " + tempo::ChainText(chain_id) + " but mpp is set to " +
           tempo::ChainText(policy.chain_id) + " (choose the network with --network)";
  }
  if (InList(policy.excluded_currencies, currency)) {
    return "its currency " + currency.ToChecksumHex() + " is excluded by --exclude-currency";
  }
  if (!InList(policy.known_currencies, currency) && !InList(policy.preferred_currencies, currency)) {
    return "its currency " + currency.ToChecksumHex() +
           " is a token mpp does not know: not a known stablecoin of " + tempo::ChainText(chain_id) +
           "; --currency " + currency.ToChecksumHex() + " to allow it";
  }
  if (recipient == crypto::Address{}) return "its recipient is the zero address";
  return {};
}

}  // namespace mpp::protocol
