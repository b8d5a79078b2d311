// --confirm and confirm_above: before a call that may cost more than a threshold, show what it pays
// (amount, network fee, payee, and a new channel's deposit) on the terminal and ask y/N; where nobody
// can be asked (no terminal, or --batch), refuse instead. The decision is pure; ConfirmHook does the
// asking, and runs before anything is signed or journaled (FlowSettings::before_paying).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "mpp/policy.h"
#include "mpp/selection.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::cli {

struct ConfirmRule {
  std::optional<U256> above;  // ask when a call may cost more than this (token units); nullopt: never
  std::string source;         // "--confirm", "confirm_above in FILE", ..., for messages
  bool may_ask = true;        // false (--batch): refuse such a call instead of asking
  // Say on stderr what the chosen challenge asks before paying it (a continued conversation, whose
  // price may grow with the history it re-sends), whether or not it needs confirming.
  bool announce = false;
};

// What the chosen challenge would have mpp pay, as the question shows it.
struct PaymentQuote {
  U256 amount;   // the call's price (a session's: one unit, the voucher's increment)
  U256 fee;      // the most the network fee may be; 0 when the service pays it or nothing goes on chain
  U256 deposit;  // what a channel opened for this call locks; 0 when none opens
  crypto::Address currency;
  crypto::Address payee;
  std::uint64_t chain_id = 0;
  bool session = false;

  // amount + deposit: what the threshold is compared with. The fee is a ceiling (--max-fee), not what
  // the call will cost, so it is shown but not counted (else every self-paid call would ask).
  U256 Compared() const;
};

// The quote of an acceptable verdict (`policy` gives the fee ceiling).
PaymentQuote QuoteChosen(const protocol::ChallengeVerdict& chosen, const protocol::PayPolicy& policy);

enum class ConfirmStep { kPay, kAsk, kRefuse };

// kPay when there is no threshold or the quote is within it; above it, kAsk when `terminal` and the
// rule may ask, else kRefuse.
ConfirmStep DecideConfirm(const ConfirmRule& rule, const PaymentQuote& quote, bool terminal);

// "0.001 pathUSD to 0x..., network fee at most 0.01", with a session's deposit named apart.
std::string DescribeQuote(const PaymentQuote& quote);

// Whether an answer to the y/N question is yes: "y" or "yes", any case, blanks around ignored.
bool IsYes(std::string_view answer);

// The kPaymentRefusedLocally error for a call that needed a confirmation nobody could give: one line
// saying how to proceed.
Error ConfirmRefusal(const ConfirmRule& rule, const PaymentQuote& quote);

// The before-paying hook for `rule`: announces the quote when asked to; above the threshold, asks on
// /dev/tty when stderr is a terminal (exit 5 on no, 130 on Ctrl-C), refuses when it is not. Null when
// the rule neither asks nor announces.
std::function<Status(const protocol::ChallengeVerdict&)> ConfirmHook(ConfirmRule rule,
                                                                     protocol::PayPolicy policy);

}  // namespace mpp::cli
