#include "mpp/selection.h"

#include <algorithm>

#include "tempo/chains.h"
#include "util/amount.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

bool Contains(const std::vector<crypto::Address>& list, const crypto::Address& a) {
  return std::find(list.begin(), list.end(), a) != list.end();
}

// "0.005 pathUSD" when the token is known, "0.005 of token 0x..." otherwise.
std::string DescribeAmount(const U256& amount, const crypto::Address& currency, std::uint64_t chain_id) {
  std::string text = FormatTokenAmount(amount);
  if (const auto* chain = tempo::FindChainById(chain_id)) {
    if (const auto* token = tempo::FindToken(*chain, currency))
      return text + " " + std::string(token->symbol);
  }
  return text + " of token " + currency.ToChecksumHex();
}

std::string ChainName(std::uint64_t chain_id) {
  if (const auto* chain = tempo::FindChainById(chain_id)) {
    return std::string(chain->name) + " (" + std::to_string(chain_id) + ")";
  }
  return "chain " + std::to_string(chain_id);
}

void Judge(ChallengeVerdict& v, const PayPolicy& policy, std::int64_t now) {
  const Challenge& c = v.challenge;
  if (c.method != "tempo") {
    v.reason = "method '" + DisplayText(c.method, 40) + "' is not supported (mpp pays with tempo)";
    return;
  }
  if (c.intent == "session") {
    v.reason = "session intent: not supported until sessions land (mpp pays charge)";
    return;
  }
  if (c.intent != "charge") {
    v.reason = "intent '" + DisplayText(c.intent, 40) + "' is not supported (mpp pays charge)";
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
  auto request = DecodeChargeRequest(c.request);
  if (!request) {
    v.reason = "its payment request is invalid: " + request.error().message;
    return;
  }
  v.request = *request;
  const ChargeRequest& r = *v.request;
  if (r.chain_id != policy.chain_id) {
    v.reason = "it asks for payment on " + ChainName(r.chain_id) + " but mpp is set to " +
               ChainName(policy.chain_id) + " (choose the network with --network)";
    return;
  }
  if (Contains(policy.excluded_currencies, r.currency)) {
    v.reason = "its currency " + r.currency.ToChecksumHex() + " is excluded by --exclude-currency";
    return;
  }
  if (!Contains(policy.known_currencies, r.currency) && !Contains(policy.preferred_currencies, r.currency)) {
    v.reason = "its currency " + r.currency.ToChecksumHex() +
               " is a token mpp does not know: not a known stablecoin of " + ChainName(r.chain_id) +
               "; --currency " + r.currency.ToChecksumHex() + " to allow it";
    return;
  }
  if (r.recipient == crypto::Address{}) {
    v.reason = "its recipient is the zero address";
    return;
  }
  for (const auto& split : r.splits) {
    if (split.recipient == crypto::Address{}) {
      v.reason = "a split's recipient is the zero address";
      return;
    }
  }
  if (r.amount > policy.max_amount) {
    v.reason = "it costs " + DescribeAmount(r.amount, r.currency, r.chain_id) +
               ", over the per-call cap of " + FormatTokenAmount(policy.max_amount) +
               " (raise it with --max-amount " + FormatTokenAmount(r.amount) + " or MPP_MAX_AMOUNT)";
    return;
  }
  if (r.amount.IsZero()) {
    v.mode = PayMode::kProof;
  } else if (r.fee_payer) {
    if (!r.SupportsMode(ChargeMode::kPull)) {
      v.reason = "it offers only push (hash) payment together with feePayer, which cannot work";
      return;
    }
    v.mode = PayMode::kPullSponsored;
  } else {
    v.mode = r.SupportsMode(ChargeMode::kPull) ? PayMode::kPull : PayMode::kPush;
  }
  v.acceptable = true;
  v.reason = "pay " + DescribeAmount(r.amount, r.currency, r.chain_id) + " to " +
             r.recipient.ToChecksumHex() + " (" + std::string(PayModeName(v.mode)) + ")";
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

std::vector<ChallengeVerdict> EvaluateChallenges(const std::vector<Challenge>& challenges,
                                                 const PayPolicy& policy, std::int64_t now) {
  std::vector<ChallengeVerdict> verdicts;
  verdicts.reserve(challenges.size());
  for (const auto& challenge : challenges) {
    ChallengeVerdict v;
    v.challenge = challenge;
    Judge(v, policy, now);
    verdicts.push_back(std::move(v));
  }
  return verdicts;
}

const ChallengeVerdict* ChooseChallenge(const std::vector<ChallengeVerdict>& verdicts,
                                        const PayPolicy& policy) {
  for (const auto& preferred : policy.preferred_currencies) {
    for (const auto& v : verdicts) {
      if (v.acceptable && v.request->currency == preferred) return &v;
    }
  }
  for (const auto& v : verdicts) {
    if (v.acceptable) return &v;
  }
  return nullptr;
}

std::vector<std::string> ExplainChoices(const std::vector<ChallengeVerdict>& verdicts,
                                        const ChallengeVerdict* chosen, const PayPolicy& policy) {
  std::vector<std::string> reasons;
  reasons.reserve(verdicts.size());
  std::size_t chosen_index = chosen != nullptr ? static_cast<std::size_t>(chosen - verdicts.data()) : 0;
  bool preferred = chosen != nullptr && Contains(policy.preferred_currencies, chosen->request->currency);
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const ChallengeVerdict& v = verdicts[i];
    if (chosen != nullptr && i == chosen_index) {
      reasons.push_back("chosen: " + v.reason);
    } else if (v.acceptable) {
      reasons.push_back("not chosen: payable (" + v.reason + "), but challenge " +
                        std::to_string(chosen_index + 1) +
                        (preferred ? " is in the currency --currency prefers" : " comes first"));
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
