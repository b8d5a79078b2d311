#include "mpp/fee_quote.h"

#include <limits>
#include <vector>

#include "tempo/chains.h"
#include "tempo/rpc_queries.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/message.h"

namespace mpp::protocol {
namespace {

// What eth_estimateGas leaves out: the intrinsic cost of a Tempo transaction's envelope.
constexpr std::uint64_t kGasMargin = 5'000;

// A gas limit from an estimate for one call: estimate * calls + margin, saturating at 2^64 - 1 so an
// absurd estimate shows up as an absurd fee (and is refused) instead of wrapping around.
std::uint64_t GasLimitFor(const U256& estimate, std::size_t calls) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  if (!estimate.FitsUint64()) return kMax;
  auto scaled = U256::CheckedMul(estimate, calls);
  auto total = scaled ? U256::CheckedAdd(*scaled, U256(kGasMargin)) : std::nullopt;
  return total && total->FitsUint64() ? total->Low64() : kMax;
}

std::string Gwei(const U256& wei) { return FormatTokenAmount(wei, 9) + " gwei"; }

// How to put tokens on `payer` on this network.
std::string FundingHint(const CostContext& c, const U256& needed) {
  const tempo::Chain* chain = tempo::FindChainById(c.chain_id);
  std::string what = tempo::TokenAmountText(needed, c.currency, c.chain_id);
  if (chain != nullptr && chain->chain_id == tempo::kTestnetChainId) {
    return "get test tokens with 'mpp wallet fund --network testnet', then retry";
  }
  std::string where =
      chain != nullptr ? "Tempo " + std::string(chain->name) + " (chain " + std::to_string(c.chain_id) + ")"
                       : "chain " + std::to_string(c.chain_id);
  return "send at least " + what + " to " + c.payer.ToChecksumHex() + " on " + where +
         " ('mpp wallet balance' shows what it holds)";
}

}  // namespace

std::string GasValuesText(const FeeQuote& quote) {
  return "gas limit " + std::to_string(quote.values.gas_limit) +
         (quote.gas_from_rpc ? " (estimated by the RPC)" : " (mpp's default)") + " at " +
         Gwei(quote.values.max_fee_per_gas) + (quote.price_from_rpc ? " (from the RPC)" : " (mpp's default)");
}

U256 MaxFeeInToken(const FeeValues& values) {
  const U256 wei = U256::CheckedMul(values.max_fee_per_gas, values.gas_limit).value_or(U256::Max());
  std::uint64_t remainder = 0;
  const U256 fee = wei.DivSmall(1'000'000'000'000, &remainder);
  return remainder != 0 ? U256::SaturatingAdd(fee, U256(1)) : fee;
}

Result<FeeQuote> QuoteFees(tempo::RpcClient* rpc, std::uint64_t chain_id, const crypto::Address& payer,
                           const crypto::Address& token, const tempo::TempoTransaction& draft,
                           bool self_paid) {
  FeeQuote quote;
  quote.self_paid = self_paid;
  auto finish = [&quote]() -> Result<FeeQuote> {
    quote.max_fee = quote.self_paid ? MaxFeeInToken(quote.values) : U256();
    return quote;
  };
  if (rpc == nullptr) return finish();
  const auto& call = draft.calls.front();
  std::vector<tempo::RpcCall> calls = {
      {"eth_chainId", "[]"},
      {"eth_blockNumber", "[]"},
      {"eth_call", tempo::BalanceOfParams(token, payer)},
  };
  if (self_paid) {
    calls.push_back(
        {"eth_estimateGas", tempo::RpcClient::EstimateGasParams(payer, call.to, ToHex(call.input))});
    calls.push_back({"eth_gasPrice", "[]"});
  }
  auto answers = rpc->CallBatch(calls);
  if (!answers) {
    if (answers.error().kind == ErrorKind::kInterrupted) return answers.error();
    msg::Verbose("RPC unavailable (" + answers.error().message +
                 "); using default gas and fees, and the balance is not checked");
    return finish();
  }
  auto rpc_chain = tempo::RpcClient::Quantity("eth_chainId", (*answers)[0]);
  if (!rpc_chain) {
    msg::Verbose("RPC unavailable (" + rpc_chain.error().message +
                 "); using default gas and fees, and the balance is not checked");
    return finish();
  }
  if (!rpc_chain->FitsUint64() || rpc_chain->Low64() != chain_id) {
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     "the RPC at " + rpc->url() + " is on chain " + rpc_chain->ToDecimal() + ", not " +
                         std::to_string(chain_id) + "; point --rpc-url at the right network");
  }
  if (auto head = tempo::RpcClient::Quantity("eth_blockNumber", (*answers)[1]); head && head->FitsUint64()) {
    quote.block = head->Low64();
  }
  if (auto balance = tempo::ReadBalanceOf((*answers)[2])) {
    quote.balance = *balance;
  } else {
    msg::Verbose("the payer's balance is unknown (" + balance.error().message + "); not checked");
  }
  if (!self_paid) return finish();

  auto estimate = tempo::RpcClient::Quantity("eth_estimateGas", (*answers)[3]);
  auto price = tempo::RpcClient::Quantity("eth_gasPrice", (*answers)[4]);
  if (estimate) {
    quote.values.gas_limit = GasLimitFor(*estimate, draft.calls.size());
  } else {
    msg::Verbose("gas estimate unavailable (" + estimate.error().message + "); using " +
                 std::to_string(quote.values.gas_limit));
  }
  if (price && !price->IsZero()) {
    quote.values.max_fee_per_gas = *price;
    if (quote.values.max_priority_fee_per_gas > *price) quote.values.max_priority_fee_per_gas = *price;
  } else {
    msg::Verbose("gas price unavailable; using " + Gwei(quote.values.max_fee_per_gas));
  }
  quote.gas_from_rpc = estimate.ok();
  quote.price_from_rpc = price && !price->IsZero();
  return finish();
}

Status CheckCost(const FeeQuote& quote, const CostContext& c, const PayPolicy& policy) {
  const U256 total = U256::SaturatingAdd(c.amount, quote.max_fee);
  const std::string fee_text = tempo::TokenAmountText(quote.max_fee, c.currency, c.chain_id);
  if (quote.self_paid && quote.max_fee > policy.max_fee) {
    std::string who =
        quote.gas_from_rpc || quote.price_from_rpc
            ? "the RPC at " + c.rpc_url + " quotes"
            : "without usable answers from the RPC at " + c.rpc_url + ", mpp's default gas values allow";
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     who + " a network fee of up to " + fee_text + " (" + GasValuesText(quote) +
                         "), above mpp's fee ceiling of " + FormatTokenAmount(policy.max_fee) +
                         " (--max-fee, MPP_MAX_FEE or max_fee in the config); nothing was signed. A Tempo "
                         "transfer costs far less: check --rpc-url");
  }
  if (total > policy.max_amount) {
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     "it costs " + tempo::TokenAmountText(c.amount, c.currency, c.chain_id) +
                         " plus a network fee of up to " + fee_text + " (" + FormatTokenAmount(total) +
                         " in all), over the per-call cap of " + FormatTokenAmount(policy.max_amount) +
                         " (raise it with --max-amount " + FormatTokenAmount(total) +
                         " or MPP_MAX_AMOUNT); nothing was paid");
  }
  if (quote.balance && *quote.balance < total) {
    std::string need = tempo::TokenAmountText(c.amount, c.currency, c.chain_id);
    if (quote.self_paid) need += " plus up to " + fee_text + " in network fees";
    return MakeError(ErrorKind::kWallet, "insufficient funds: " + c.payer.ToChecksumHex() + " holds " +
                                             tempo::TokenAmountText(*quote.balance, c.currency, c.chain_id) +
                                             ", but this payment needs " + need +
                                             "; nothing was signed. To fund it, " + FundingHint(c, total));
  }
  return {};
}

}  // namespace mpp::protocol
