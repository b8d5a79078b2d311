#include "mpp/charge_verdict.h"

#include "tempo/chains.h"
#include "util/amount.h"

namespace mpp::protocol {
namespace {

// The reason a decoded request cannot be paid under `policy`, or empty when it can.
std::string Unpayable(const ChargeRequest& r, const PayPolicy& policy) {
  if (std::string why = PayeeRefusal(r.chain_id, r.currency, r.recipient, policy); !why.empty()) return why;
  for (const auto& split : r.splits) {
    if (split.recipient == crypto::Address{}) return "a split's recipient is the zero address";
  }
  if (r.amount > policy.max_amount) {
    return "it costs " + tempo::TokenAmountText(r.amount, r.currency, r.chain_id) +
           ", over the per-call cap of " + FormatTokenAmount(policy.max_amount) +
           " (raise it with --max-amount " + FormatTokenAmount(r.amount) + " or MPP_MAX_AMOUNT)";
  }
  if (!r.amount.IsZero() && r.fee_payer && !r.SupportsMode(ChargeMode::kPull)) {
    return "it offers only push (hash) payment together with feePayer, which cannot work";
  }
  return {};
}

PayMode ModeFor(const ChargeRequest& r) {
  if (r.amount.IsZero()) return PayMode::kProof;
  if (r.fee_payer) return PayMode::kPullSponsored;
  return r.SupportsMode(ChargeMode::kPull) ? PayMode::kPull : PayMode::kPush;
}

}  // namespace

std::string_view PayModeName(PayMode mode) {
  switch (mode) {
    case PayMode::kPull:
      return "pull";
    case PayMode::kPullSponsored:
      return "pull, fee payer";
    case PayMode::kPush:
      return "push";
    case PayMode::kProof:
      return "proof";
  }
  return "pull";
}

ChargeJudgement JudgeChargeChallenge(const Challenge& challenge, const PayPolicy& policy) {
  ChargeJudgement judged;
  auto request = DecodeChargeRequest(challenge.request);
  if (!request) {
    judged.reason = "its payment request is invalid: " + request.error().message;
    return judged;
  }
  judged.terms = ChargeTerms{std::move(*request), PayMode::kPull};
  ChargeTerms& terms = *judged.terms;
  const ChargeRequest& r = terms.request;
  judged.reason = Unpayable(r, policy);
  if (!judged.reason.empty()) return judged;
  terms.mode = ModeFor(r);
  judged.acceptable = true;
  judged.reason = "pay " + tempo::TokenAmountText(r.amount, r.currency, r.chain_id) + " to " +
                  r.recipient.ToChecksumHex() + " (" + std::string(PayModeName(terms.mode)) + ")";
  return judged;
}

}  // namespace mpp::protocol
