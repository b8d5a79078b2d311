#include "cli/confirm.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "tempo/chains.h"
#include "util/amount.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

// The longest answer read from the terminal; the rest of a longer line is read and dropped.
constexpr std::size_t kMaxAnswerBytes = 64;

// A file descriptor closed when it goes out of scope.
class TerminalFd {
 public:
  TerminalFd() : fd_(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}
  TerminalFd(const TerminalFd&) = delete;
  TerminalFd& operator=(const TerminalFd&) = delete;
  ~TerminalFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t wrote = ::write(fd, text.data(), text.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(wrote));
  }
  return true;
}

// Asks `question` on the terminal and reads one line. kInterrupted on Ctrl-C; end of input is "no".
Result<bool> AskOnTerminal(int fd, const std::string& question) {
  if (!WriteAll(fd, question))
    return MakeError(ErrorKind::kPaymentRefusedLocally, "cannot ask on the terminal");
  std::string answer;
  for (;;) {
    char c = 0;
    const ssize_t got = ::read(fd, &c, 1);
    if (got < 0) {
      WriteAll(fd, "\n");
      if (errno == EINTR)
        return MakeError(ErrorKind::kInterrupted, "interrupted at the confirmation question");
      return MakeError(ErrorKind::kPaymentRefusedLocally, "cannot read the answer from the terminal");
    }
    if (got == 0 || c == '\n') break;
    if (answer.size() < kMaxAnswerBytes) answer.push_back(c);
  }
  return IsYes(answer);
}

}  // namespace

U256 PaymentQuote::Compared() const { return U256::SaturatingAdd(amount, deposit); }

PaymentQuote QuoteChosen(const protocol::ChallengeVerdict& chosen, const protocol::PayPolicy& policy) {
  PaymentQuote quote;
  quote.amount = chosen.amount;
  quote.currency = chosen.currency;
  if (chosen.charge) {
    const auto& terms = *chosen.charge;
    quote.payee = terms.request.recipient;
    quote.chain_id = terms.request.chain_id;
    const bool own_fee = terms.mode == protocol::PayMode::kPull || terms.mode == protocol::PayMode::kPush;
    if (own_fee) quote.fee = policy.max_fee;
  } else if (chosen.session) {
    const auto& terms = *chosen.session;
    quote.session = true;
    quote.payee = terms.request.recipient;
    quote.chain_id = terms.chain_id;
    // A voucher on a channel already open moves nothing on chain; opening one locks its deposit and,
    // unless the service pays the gas, costs a network fee.
    if (!chosen.standing) {
      quote.deposit = terms.deposit;
      if (!terms.request.fee_payer) quote.fee = policy.max_fee;
    }
  }
  return quote;
}

ConfirmStep DecideConfirm(const ConfirmRule& rule, const PaymentQuote& quote, bool terminal) {
  if (!rule.above || !(*rule.above < quote.Compared())) return ConfirmStep::kPay;
  return terminal && rule.may_ask ? ConfirmStep::kAsk : ConfirmStep::kRefuse;
}

std::string DescribeQuote(const PaymentQuote& quote) {
  std::string text = tempo::TokenAmountText(quote.amount, quote.currency, quote.chain_id) +
                     (quote.session ? " per request" : "") + " to " + quote.payee.ToChecksumHex();
  if (!quote.deposit.IsZero()) {
    text += ", and a deposit of " + tempo::TokenAmountText(quote.deposit, quote.currency, quote.chain_id) +
            " locked in a new payment channel (the unspent rest comes back when it closes)";
  }
  text += quote.fee.IsZero() ? ", no network fee" : ", network fee at most " + FormatTokenAmount(quote.fee);
  return text;
}

bool IsYes(std::string_view answer) {
  while (!answer.empty() && (answer.front() == ' ' || answer.front() == '\t')) answer.remove_prefix(1);
  while (!answer.empty() && (answer.back() == ' ' || answer.back() == '\t' || answer.back() == '\r')) {
    answer.remove_suffix(1);
  }
  const std::string word = AsciiLower(answer);
  return word == "y" || word == "yes";
}

Error ConfirmRefusal(const ConfirmRule& rule, const PaymentQuote& quote) {
  const bool flag = rule.source == "--confirm";
  std::string why = flag ? "--confirm asks before paying " + DescribeQuote(quote)
                         : "this call would pay " + DescribeQuote(quote) +
                               ", above the confirmation threshold " +
                               FormatTokenAmount(rule.above.value_or(U256())) + " (" + rule.source + ")";
  why += rule.may_ask ? ", and there is no terminal to ask on" : ", and --batch never asks";
  std::string how = rule.may_ask ? "run it on a terminal, or " : "";
  how += flag ? "drop --confirm" : "raise " + rule.source + ", or set MPP_CONFIRM_ABOVE=off";
  return MakeError(ErrorKind::kPaymentRefusedLocally, why + "; nothing was paid (" + how + ")");
}

std::function<Status(const protocol::ChallengeVerdict&)> ConfirmHook(ConfirmRule rule,
                                                                     protocol::PayPolicy policy) {
  if (!rule.above && !rule.announce) return nullptr;
  return [rule = std::move(rule),
          policy = std::move(policy)](const protocol::ChallengeVerdict& chosen) -> Status {
    const PaymentQuote quote = QuoteChosen(chosen, policy);
    if (rule.announce)
      msg::Info("the service asks " + DescribeQuote(quote) + " for this call, history included");
    if (DecideConfirm(rule, quote, true) == ConfirmStep::kPay) return {};
    TerminalFd tty;
    const bool terminal = ::isatty(STDERR_FILENO) == 1 && tty.get() >= 0 && ::isatty(tty.get()) == 1;
    if (DecideConfirm(rule, quote, terminal) == ConfirmStep::kRefuse) return ConfirmRefusal(rule, quote);
    auto yes = AskOnTerminal(tty.get(), "mpp: pay " + DescribeQuote(quote) + "? [y/N] ");
    if (!yes) return yes.error();
    if (!*yes) return MakeError(ErrorKind::kPaymentRefusedLocally, "not confirmed; nothing was paid");
    return {};
  };
}

}  // namespace mpp::cli
