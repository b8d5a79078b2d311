// The charge intent's judge: whether a tempo/charge challenge may be paid under the user's policy,
// and how (pull, sponsored pull, push or proof). Pure, so `mpp quote` shows what `chat` would do.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mpp/challenge.h"
#include "mpp/charge_request.h"
#include "mpp/policy.h"

namespace mpp::protocol {

// How a charge is settled. PayModeName is what the journal and -v print.
enum class PayMode {
  kPull,           // signed 0x76 transaction, the server broadcasts it; client pays fees
  kPullSponsored,  // 0x78 hand-off envelope; the server's fee payer co-signs and broadcasts
  kPush,           // the client broadcasts and sends the hash
  kProof,          // zero amount: an EIP-712 proof, no transaction
};
std::string_view PayModeName(PayMode mode);

// A charge challenge's decoded request and the way mpp would pay it.
struct ChargeTerms {
  ChargeRequest request;
  PayMode mode = PayMode::kPull;  // meaningful when the challenge is acceptable
};

// The reason says why not, or "pay 0.001 pathUSD to 0x... (pull)".
using ChargeJudgement = Judgement<ChargeTerms>;

// Judges a tempo/charge challenge the generic checks (method, expiry, size) already passed: its request
// must decode and be payable on the policy's chain, in an allowed token, to a non-zero recipient, within
// the per-call cap.
ChargeJudgement JudgeChargeChallenge(const Challenge& challenge, const PayPolicy& policy);

}  // namespace mpp::protocol
