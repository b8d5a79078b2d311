#include "mpp/selection.h"

#include <algorithm>

#include "mpp/intents.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

bool Contains(const std::vector<crypto::Address>& list, const crypto::Address& a) {
  return std::find(list.begin(), list.end(), a) != list.end();
}

// The checks every intent shares (method, intent, expiry, size), then the intent's own judge.
void JudgeChallenge(ChallengeVerdict& v, const PayPolicy& policy, std::int64_t now) {
  const Challenge& c = v.challenge;
  if (c.method != "tempo") {
    v.reason = "method '" + DisplayText(c.method, 40) + "' is not supported (mpp pays with tempo)";
    return;
  }
  const Intent* intent = FindIntent(c.intent);
  if (intent == nullptr) {
    v.reason = "intent '" + DisplayText(c.intent, 40) + "' is not supported (mpp pays charge and session)";
    return;
  }
  if (c.expires_at && *c.expires_at <= now) {
    v.reason = "the challenge expired at " + DisplayText(*c.expires, 40) + "; retry to get a fresh one";
    return;
  }
  std::size_t echoed = c.id.size() + c.realm.size() + c.request.size() + c.description.value_or("").size() +
                       c.digest.value_or("").size() + c.opaque.value_or("").size();
  if (echoed > kMaxEchoedChallengeBytes) {
    v.reason = "the challenge is too large to echo in a credential (" + std::to_string(echoed) + " bytes)";
    return;
  }
  if (policy.intent == IntentChoice::kCharge && c.intent != "charge") {
    v.reason = "intent " + DisplayText(c.intent, 40) + ": --intent charge pays charge offers only";
    return;
  }
  if (policy.intent == IntentChoice::kSession && c.intent != "session") {
    v.reason = "intent " + DisplayText(c.intent, 40) + ": --intent session pays session offers only";
    return;
  }
  intent->Judge(v, policy);
}

// Which acceptable verdicts a round of ChooseChallenge looks at.
struct Wanted {
  bool standing = false;    // only those with standing (an open channel), any intent
  std::string_view intent;  // else only this intent
};

// The first acceptable verdict `wanted`, in a preferred currency when `currency` is set.
const ChallengeVerdict* FirstPayable(const std::vector<ChallengeVerdict>& verdicts, const Wanted& wanted,
                                     const crypto::Address* currency) {
  for (const auto& v : verdicts) {
    if (!v.acceptable || (currency != nullptr && v.currency != *currency)) continue;
    if (wanted.standing ? v.standing : v.challenge.intent == wanted.intent) return &v;
  }
  return nullptr;
}

}  // namespace

std::vector<ChallengeVerdict> EvaluateChallenges(const std::vector<Challenge>& challenges,
                                                 const PayPolicy& policy, std::int64_t now) {
  std::vector<ChallengeVerdict> verdicts;
  verdicts.reserve(challenges.size());
  for (const auto& challenge : challenges) {
    ChallengeVerdict v;
    v.challenge = challenge;
    JudgeChallenge(v, policy, now);
    verdicts.push_back(std::move(v));
  }
  return verdicts;
}

const ChallengeVerdict* ChooseChallenge(const std::vector<ChallengeVerdict>& verdicts,
                                        const PayPolicy& policy) {
  // A channel already open costs nothing new; a charge costs one call; opening a session locks a
  // deposit: in that order, whatever the server's.
  for (const Wanted& wanted : {Wanted{true, {}}, Wanted{false, "charge"}, Wanted{false, "session"}}) {
    for (const auto& preferred : policy.preferred_currencies) {
      if (const auto* v = FirstPayable(verdicts, wanted, &preferred)) return v;
    }
    if (const auto* v = FirstPayable(verdicts, wanted, nullptr)) return v;
  }
  return nullptr;
}

std::vector<std::string> ExplainChoices(const std::vector<ChallengeVerdict>& verdicts,
                                        const ChallengeVerdict* chosen, const PayPolicy& policy) {
  std::vector<std::string> reasons;
  reasons.reserve(verdicts.size());
  std::size_t chosen_index = chosen != nullptr ? static_cast<std::size_t>(chosen - verdicts.data()) : 0;
  bool preferred = chosen != nullptr && Contains(policy.preferred_currencies, chosen->currency);
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const ChallengeVerdict& v = verdicts[i];
    if (chosen != nullptr && i == chosen_index) {
      reasons.push_back("chosen: " + v.reason + (v.standing ? " (on the channel already open)" : ""));
    } else if (v.acceptable) {
      const bool standing_first = chosen->standing && !v.standing;
      const bool charge_first = !standing_first && v.challenge.intent != chosen->challenge.intent;
      reasons.push_back("not chosen: payable (" + v.reason + "), but challenge " +
                        std::to_string(chosen_index + 1) +
                        (standing_first ? " pays on the channel mpp already has open to this payee"
                         : charge_first ? " is a charge, which mpp prefers to opening a channel"
                         : preferred    ? " is in the currency --currency prefers"
                                        : " comes first"));
    } else {
      reasons.push_back("not chosen: " + v.reason);
    }
  }
  return reasons;
}

std::string ExplainRefusal(const std::vector<ChallengeVerdict>& verdicts,
                           const std::vector<RejectedChallenge>& rejected) {
  if (verdicts.empty()) {
    std::string text = "the server asked for payment (402) but offered no usable Payment challenge";
    for (const auto& r : rejected) {
      if (r.scheme.empty() || r.reason == "not a Payment challenge") continue;
      text += " (" + r.reason + ")";
      break;
    }
    return text + "; nothing was paid";
  }
  // The first tempo/charge verdict says most; fall back to the first of all.
  const ChallengeVerdict* best = &verdicts.front();
  for (const auto& v : verdicts) {
    if (v.challenge.method == "tempo" && v.challenge.intent == "charge") {
      best = &v;
      break;
    }
  }
  std::string text = "refused to pay: " + best->reason;
  if (verdicts.size() > 1)
    text += " (and " + std::to_string(verdicts.size() - 1) + " other challenge(s); -v lists them)";
  return text + "; nothing was paid";
}

}  // namespace mpp::protocol
