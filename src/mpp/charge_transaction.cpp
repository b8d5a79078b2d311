#include "mpp/charge_transaction.h"

#include <algorithm>

#include "tempo/memo.h"
#include "tempo/tip20.h"

namespace mpp::protocol {

Hash32 ChargeMemo(const Challenge& challenge, const ChargeRequest& request) {
  return request.memo ? *request.memo : tempo::AttributionMemo(challenge.realm, "", challenge.id);
}

tempo::TempoTransaction BuildChargeTransaction(const Challenge& challenge, const ChargeRequest& request,
                                               const FeeValues& fees, std::int64_t now) {
  tempo::TempoTransaction tx;
  tx.chain_id = request.chain_id;
  tx.gas_limit = fees.gas_limit;
  tx.max_fee_per_gas = fees.max_fee_per_gas;
  tx.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
  tx.nonce_key = tempo::ExpiringNonceKey();
  tx.nonce = 0;
  std::int64_t valid_before = now + kValidityWindowSeconds;
  if (challenge.expires_at) valid_before = std::min(valid_before, *challenge.expires_at);
  tx.valid_before = static_cast<std::uint64_t>(valid_before);

  const Hash32 memo = ChargeMemo(challenge, request);
  tx.calls.push_back({request.currency, U256(0),
                      tempo::TransferWithMemoCalldata(request.recipient, request.PrimaryAmount(), memo)});
  for (const auto& split : request.splits) {
    tx.calls.push_back(
        {request.currency, U256(0),
         tempo::TransferWithMemoCalldata(split.recipient, split.amount, split.memo.value_or(memo))});
  }
  if (request.fee_payer) {
    tx.fee_payer_requested = true;
  } else {
    tx.fee_token = request.currency;
  }
  return tx;
}

}  // namespace mpp::protocol
