// Choosing which challenge to pay, and refusing locally what must not be paid. Pure: values in,
// verdicts out, so every rule is unit-tested and `mpp quote` shows the same decisions `chat` makes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/address.h"
#include "mpp/challenge.h"
#include "mpp/charge_verdict.h"
#include "mpp/policy.h"
#include "mpp/session_verdict.h"
#include "util/u256.h"

namespace mpp::protocol {

struct ChallengeVerdict {
  Challenge challenge;
  // The intent's part: set for a challenge of that intent whose request decoded.
  std::optional<ChargeTerms> charge;
  std::optional<SessionTerms> session;
  bool acceptable = false;
  // When acceptable: what one call costs before network fees, in which token (for choosing by
  // --currency and for budgets).
  U256 amount;
  crypto::Address currency;
  std::string reason;  // why it was skipped, or a short description of how it would be paid
  // Whether mpp already holds what this offer would pay on (a channel open to its payee), so paying it
  // locks nothing new (Intent::HasStanding; the flow sets it).
  bool standing = false;
  ErrorKind refusal = ErrorKind::kPaymentRefusedLocally;
};

// One verdict per challenge, in the server's order. `now` is UNIX seconds.
std::vector<ChallengeVerdict> EvaluateChallenges(const std::vector<Challenge>& challenges,
                                                 const PayPolicy& policy, std::int64_t now);

// The verdict to pay: among the acceptable ones, the first in a preferred currency (in the user's
// order), else the first in the server's order; one with standing (a channel already open) goes
// first, then a charge, then a session (which locks a deposit). nullptr when none is acceptable.
const ChallengeVerdict* ChooseChallenge(const std::vector<ChallengeVerdict>& verdicts,
                                        const PayPolicy& policy);

// One reason per verdict, in the server's order, for -v and `mpp quote`: "chosen: <how it is paid>"
// for `chosen` (which points into `verdicts`, or is nullptr when none was), "not chosen: <why>" for
// the others: its own refusal (unknown token, session intent, wrong chain, over the cap, ...), or,
// when it was payable too, which challenge won and why (server order, or a --currency preference).
std::vector<std::string> ExplainChoices(const std::vector<ChallengeVerdict>& verdicts,
                                        const ChallengeVerdict* chosen, const PayPolicy& policy);

// The most a credential's echoed challenge fields may add up to. Servers cap request at 16 KiB;
// anything much larger would make a credential header that servers and proxies reset.
inline constexpr std::size_t kMaxEchoedChallengeBytes = 24 * 1024;

// A one-line explanation for "nothing payable", built from the skipped verdicts (e.g. the cap and
// how to raise it), else from the challenges the parser rejected.
std::string ExplainRefusal(const std::vector<ChallengeVerdict>& verdicts,
                           const std::vector<RejectedChallenge>& rejected);

}  // namespace mpp::protocol
