// The charge intent: one signed TIP-20 transfer per call (a pull transaction, a sponsored hand-off or
// a pushed transaction), or a proof of identity for a zero-amount charge.
#pragma once

#include <memory>

#include "mpp/intent.h"

namespace mpp::protocol {

class ChargeIntent final : public Intent {
 public:
  std::string_view Name() const override { return "charge"; }
  // JudgeChargeChallenge.
  void Judge(ChallengeVerdict& verdict, const PayPolicy& policy) const override;
  // Quotes the fee (QuoteFees), checks it against the caps and the balance (CheckCost), then signs
  // the transaction or the proof the verdict's mode calls for.
  Result<std::unique_ptr<PreparedPayment>> Prepare(const ChallengeVerdict& verdict,
                                                   const net::HttpRequest& request,
                                                   IntentContext& context) override;
};

}  // namespace mpp::protocol
