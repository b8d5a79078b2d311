// The session intent's judge: whether a tempo/session offer (a TIP-1034 payment channel) may be paid
// under the user's policy, and how much a new channel would lock. Pure, so `mpp quote` can show what
// `chat` would do.
#pragma once

#include <optional>
#include <string>

#include "mpp/challenge.h"
#include "mpp/policy.h"
#include "mpp/session_request.h"
#include "util/u256.h"

namespace mpp::protocol {

// A session offer's decoded request and what mpp would lock to pay it.
struct SessionTerms {
  SessionRequest request;
  std::uint64_t chain_id = 0;  // the request's, or the spec's default when it names none
  // The deposit a new channel gets: --max-deposit, lowered to suggestedDeposit when the server
  // suggests less, never below the price of one unit. The balance may lower it further at signing.
  U256 deposit;
};

// The reason says why not, or "pay 0.001 pathUSD per request to 0x... by session (...)".
using SessionJudgement = Judgement<SessionTerms>;

// Judges a tempo/session challenge the generic checks (method, expiry, size) already passed: a v2
// offer on the trusted escrow, payable on the policy's chain in an allowed token to a non-zero
// recipient, one unit within the per-call cap and within --max-deposit.
SessionJudgement JudgeSessionChallenge(const Challenge& challenge, const PayPolicy& policy);

}  // namespace mpp::protocol
