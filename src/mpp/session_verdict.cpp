#include "mpp/session_verdict.h"

#include "mpp/charge_request.h"
#include "tempo/chains.h"
#include "util/amount.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

// min(max_deposit, suggestedDeposit), at least one unit's price.
U256 DepositFor(const SessionRequest& r, const PayPolicy& policy) {
  U256 deposit = policy.max_deposit;
  if (r.suggested_deposit && *r.suggested_deposit < deposit) deposit = *r.suggested_deposit;
  return deposit < r.amount ? r.amount : deposit;
}

}  // namespace

SessionJudgement JudgeSessionChallenge(const Challenge& challenge, const PayPolicy& policy) {
  SessionJudgement judged;
  auto request = DecodeSessionRequest(challenge.request);
  if (!request) {
    judged.reason = "its payment request is invalid: " + request.error().message;
    return judged;
  }
  const std::uint64_t chain_id = request->chain_id.value_or(kDefaultChargeChainId);
  judged.terms = SessionTerms{std::move(*request), chain_id, U256()};
  SessionTerms& terms = *judged.terms;
  const SessionRequest& r = terms.request;
  terms.deposit = DepositFor(r, policy);
  if (auto offer = CheckSessionOffer(r, policy.trusted_escrow); !offer) {
    judged.reason = offer.error().message;
    return judged;
  }
  judged.reason = PayeeRefusal(chain_id, r.currency, r.recipient, policy);
  if (!judged.reason.empty()) return judged;
  const std::string unit = DisplayText(r.unit_type, kMaxUnitTypeChars);
  if (r.amount > policy.max_amount) {
    judged.reason = "one " + unit + " costs " + tempo::TokenAmountText(r.amount, r.currency, chain_id) +
                    ", over the per-call cap of " + FormatTokenAmount(policy.max_amount) +
                    " (raise it with --max-amount " + FormatTokenAmount(r.amount) + " or MPP_MAX_AMOUNT)";
    return judged;
  }
  if (policy.max_deposit < r.amount) {
    judged.reason = "a channel must hold at least one " + unit + " (" +
                    tempo::TokenAmountText(r.amount, r.currency, chain_id) + ") but --max-deposit is " +
                    FormatTokenAmount(policy.max_deposit);
    return judged;
  }
  judged.acceptable = true;
  judged.reason = "pay " + tempo::TokenAmountText(r.amount, r.currency, chain_id) + " per " + unit + " to " +
                  r.recipient.ToChecksumHex() + " by session (a new channel locks up to " +
                  tempo::TokenAmountText(terms.deposit, r.currency, chain_id) + ")";
  return judged;
}

}  // namespace mpp::protocol
