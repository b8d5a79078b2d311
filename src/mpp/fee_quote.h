// What a payment's transaction will really cost and whether the payer can pay it, asked of the RPC in
// one JSON-RPC batch between the 402 and the signature: the chain id, the chain head, the gas values a
// self-paid transaction carries, and the payer's balance in the payment's currency. Then the checks that
// keep fees inside mpp's limits: the fee ceiling, the per-call cap (amount plus fee) and the balance.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/address.h"
#include "mpp/charge_transaction.h"
#include "mpp/selection.h"
#include "tempo/rpc.h"
#include "tempo/transaction.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

struct FeeQuote {
  FeeValues values;                    // what the transaction carries (RPC answers, else defaults)
  bool self_paid = true;               // false when the server's fee payer pays the fee
  U256 max_fee;                        // the most the transaction can cost in fees, base units; 0 sponsored
  bool gas_from_rpc = false;           // the gas limit came from the RPC's estimate
  bool price_from_rpc = false;         // the max fee per gas came from the RPC
  std::optional<U256> balance;         // the payer's balance in the charge currency, when answered
  std::optional<std::uint64_t> block;  // the chain head, when answered
};

// ceil(gas_limit * max_fee_per_gas / 1e12): the most a transaction can burn, in the base units of a
// 6-decimal fee token (Tempo prices gas in 18-decimal units). Saturates at U256::Max().
U256 MaxFeeInToken(const FeeValues& values);

// Asks `rpc` (may be null: defaults, nothing known) about paying `draft` from `payer`, whose balance in
// `token` (the payment's currency) it reads. A self-paid draft gets its gas from eth_estimateGas of its
// first call (times the number of calls, plus 5,000) and eth_gasPrice; answers that are missing fall
// back to the reference clients' defaults. An RPC that does not answer at all is not an error
// (defaults, balance unknown; -v says so). Errors: kPaymentRefusedLocally when the RPC is on another
// chain than `chain_id`; kInterrupted.
Result<FeeQuote> QuoteFees(tempo::RpcClient* rpc, std::uint64_t chain_id, const crypto::Address& payer,
                           const crypto::Address& token, const tempo::TempoTransaction& draft,
                           bool self_paid);

// What CheckCost needs to know besides the quote.
struct CostContext {
  U256 amount;
  crypto::Address currency;
  std::uint64_t chain_id = 0;
  crypto::Address payer;
  std::string rpc_url;  // named when the fee is refused
};

// Ok when the payment may be signed. kPaymentRefusedLocally (exit 5) when the fee is above
// policy.max_fee (naming the RPC that quoted it) or amount + fee is above policy.max_amount (naming
// both); kWallet (exit 6) when the balance is known and below amount + fee, saying what is held, what is
// needed and how to fund the payer on this network. Pure.
Status CheckCost(const FeeQuote& quote, const CostContext& context, const PayPolicy& policy);

// "gas limit 105000 (estimated by the RPC) at 20 gwei (from the RPC)", saying which values are mpp's
// defaults. Pure.
std::string GasValuesText(const FeeQuote& quote);

}  // namespace mpp::protocol
