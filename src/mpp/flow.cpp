#include "mpp/flow.h"
#include "util/clock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

#include "mpp/charge_transaction.h"
#include "mpp/credential.h"
#include "mpp/fee_quote.h"
#include "mpp/problem.h"
#include "net/url.h"
#include "tempo/proof.h"
#include "tempo/tip20.h"
#include "util/amount.h"
#include "util/hex.h"
#include "util/message.h"
#include "util/random.h"
#include "util/secret.h"
#include "util/text.h"

namespace mpp::protocol {

struct PayFlow::Prepared {
  ChallengeVerdict verdict;
  std::string header_name;
  SecretString credential;
  PaymentRecord record;
  std::string payment_id;
  std::optional<U256> fee_paid;  // from the receipt of a pushed transaction
};

namespace {

std::string AmountText(const PaymentRecord& r) {
  return FormatTokenAmount(r.amount) + " (token " + r.currency.ToChecksumHex() + ")" +
         (r.fee.IsZero() ? "" : " + network fee up to " + FormatTokenAmount(r.fee));
}

// How many challenges the flow asks for when each one's id is already paid in the journal.
constexpr int kFreshChallengeAttempts = 4;

// Sleeps `ms` milliseconds; false when a signal (Ctrl-C) cut the pause short.
bool PauseMilliseconds(int ms) {
  const timespec pause{ms / 1000, static_cast<long>(ms % 1000) * 1'000'000};
  return ::nanosleep(&pause, nullptr) == 0;
}

std::string TxText(const PaymentRecord& r) { return r.tx_hash.empty() ? std::string() : ", tx " + r.tx_hash; }

// mpp never follows redirects: a credential must not change origin, and the paid retry must go to
// the URL that issued the challenge.
Error RedirectError(const net::HttpResponse& response, const std::string& url,
                    const std::string& after_payment) {
  auto location = response.FirstHeader("Location");
  std::string target = location ? net::ResolveLocation(url, *location).value_or(std::string(*location)) : "";
  return MakeError(after_payment.empty() ? ErrorKind::kNetwork : ErrorKind::kPaymentRefusedByServer,
                   "the server redirected (HTTP " + std::to_string(response.status) + ")" +
                       (target.empty() ? "" : " to " + DisplayText(target, 200)) + after_payment +
                       "; mpp does not follow redirects: call the final URL directly");
}

// Writes the credential for debugging into a new file readable by the owner only. An existing path
// (a file, a FIFO or a symlink another user planted) is refused, never written through: a local
// refusal, so the credential is not sent either.
Status DumpCredential(const std::string& path, const std::string& credential) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    return MakeError(ErrorKind::kPaymentRefusedLocally, "cannot create --dump-credential file '" + path +
                                                            "' (" + std::strerror(error) +
                                                            "; it must not exist yet); nothing was sent");
  }
  // The mode went through the umask; the file is new, so this changes only our own file.
  bool ok = ::fchmod(fd, 0600) == 0;
  std::string line = credential + "\n";
  ok = ok && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  Wipe(line);
  if (!ok) {
    ::unlink(path.c_str());
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     "cannot write --dump-credential file '" + path + "'; nothing was sent");
  }
  return {};
}

// "0.001 pathUSD + network fee up to 0.0021 pathUSD (gas limit ... at ...)" for -v.
std::string CostText(const FeeQuote& quote, const ChargeRequest& charge) {
  std::string text = TokenAmountText(charge.amount, charge.currency, charge.chain_id);
  if (!quote.self_paid) return text + ", network fee paid by the server";
  return text + " + network fee up to " + TokenAmountText(quote.max_fee, charge.currency, charge.chain_id) +
         " (" + GasValuesText(quote) + ")";
}

}  // namespace

PayFlow::PayFlow(net::HttpTransport& http, tempo::RpcClient* rpc, PaymentLedger& ledger, KeySource keys,
                 FlowSettings settings)
    : http_(http), rpc_(rpc), ledger_(ledger), keys_(std::move(keys)), settings_(std::move(settings)) {
  if (!settings_.now) settings_.now = UnixNow;
}

Result<net::HttpResponse> PayFlow::Probe(const net::HttpRequest& request) {
  if (!net::ParseOrigin(request.url)) {
    return MakeError(ErrorKind::kUsage, "'" + request.url + "' is not an http:// or https:// URL");
  }
  auto response = http_.Perform(request, nullptr, nullptr);
  if (!response) {
    if (response.error().kind == ErrorKind::kInterrupted) return response.error();
    return MakeError(ErrorKind::kNetwork, "could not reach " + request.url + ": " + response.error().message);
  }
  return response;
}

Result<FlowResult> PayFlow::Perform(const net::HttpRequest& request, const net::BodySink* sink) {
  auto origin = net::ParseOrigin(request.url);
  if (!origin) return MakeError(ErrorKind::kUsage, "'" + request.url + "' is not an http:// or https:// URL");
  // While the probe is in flight, another core does the one-time setup the signature would otherwise
  // do between the 402 and the credential. Joined when Perform returns.
  std::jthread warm_up(crypto::WarmUpSigning);

  for (int attempt = 1;; ++attempt) {
    auto probe = http_.Perform(request, sink, nullptr);
    if (!probe) {
      if (probe.error().kind == ErrorKind::kInterrupted) return probe.error();
      return MakeError(ErrorKind::kNetwork, "could not reach " + request.url + ": " + probe.error().message);
    }
    if (probe->status >= 300 && probe->status < 400) return RedirectError(*probe, request.url, "");
    if (probe->status != 402) return FlowResult{std::move(*probe), std::nullopt};

    const Evaluation offered = Evaluate(*probe);
    const ChallengeVerdict* chosen = ChooseChallenge(offered.verdicts, settings_.policy);
    if (chosen == nullptr) {
      LogChoices(offered.verdicts, nullptr);
      return MakeError(ErrorKind::kPaymentRefusedLocally, ExplainRefusal(offered.verdicts, offered.rejected));
    }
    LogChoices(offered.verdicts, chosen);
    if (!net::MayCarryCredential(*origin)) {
      return MakeError(ErrorKind::kPaymentRefusedLocally,
                       "refusing to send a payment credential over plain http to " + origin->host +
                           " (only https, or http to loopback); nothing was paid");
    }

    auto prepared = Prepare(*chosen, request);
    if (prepared) return SendPaid(request, sink, *prepared);
    if (prepared.error().kind != ErrorKind::kChallengeAlreadyPaid) return prepared.error();
    // Servers that derive challenge ids from the request and a timestamp hand parallel calls the same
    // id. It was paid once already (by another call, maybe another process): ask for a fresh one.
    if (attempt == kFreshChallengeAttempts) {
      return MakeError(ErrorKind::kPaymentRefusedLocally,
                       prepared.error().message + ", and the server sent the same id " +
                           std::to_string(attempt) + " times; nothing was paid again");
    }
    msg::Verbose(prepared.error().message + "; asking the server for a fresh challenge");
    if (!PauseMilliseconds(10 * attempt * attempt)) return MakeError(ErrorKind::kInterrupted, "interrupted");
  }
}

PayFlow::Evaluation PayFlow::Evaluate(const net::HttpResponse& probe) const {
  std::vector<std::string_view> values = probe.HeaderValues("WWW-Authenticate");
  ChallengeList parsed = ParseChallenges(values);
  for (const auto& rejected : parsed.rejected) {
    msg::Verbose("skipped challenge" + (rejected.id.empty() ? "" : " " + rejected.id) + ": " +
                 rejected.reason);
  }
  auto verdicts = EvaluateChallenges(parsed.challenges, settings_.policy, settings_.now());
  return Evaluation{std::move(verdicts), std::move(parsed.rejected)};
}

Result<PayFlow::Prepared> PayFlow::Prepare(const ChallengeVerdict& verdict, const net::HttpRequest& request) {
  const Challenge& challenge = verdict.challenge;
  const ChargeRequest& charge = *verdict.request;
  auto key = keys_();
  if (!key) return key.error();
  crypto::Address payer = crypto::Address::FromPublicKey(key->GetPublicKey());
  msg::Verbose("paying from " + payer.ToChecksumHex());

  Prepared p;
  p.verdict = verdict;
  p.header_name = CredentialHeaderName(challenge);
  p.record.url = request.url;
  p.record.realm = challenge.realm;
  p.record.challenge_id = challenge.id;
  p.record.amount = charge.amount;
  p.record.currency = charge.currency;
  p.record.recipient = charge.recipient;
  p.record.chain_id = charge.chain_id;
  p.record.mode = verdict.mode;
  p.record.payer = payer;
  CredentialPayload payload;
  std::string signed_raw_hex;

  if (verdict.mode == PayMode::kProof) {
    payload.type = CredentialPayload::Type::kProof;
    payload.hex = ToHex(tempo::SignProof(*key, charge.chain_id, challenge.id, challenge.realm));
  } else {
    std::int64_t now = settings_.now();
    // Fees are money: the charge plus the most the transaction can burn must fit every limit, and the
    // payer must hold both, before anything is signed.
    const bool self_paid = verdict.mode != PayMode::kPullSponsored;
    auto quote = QuoteCharge(rpc_, charge.chain_id, payer, BuildChargeTransaction(challenge, charge, {}, now),
                             self_paid);
    if (!quote) return quote.error();
    const CostContext cost{charge.amount, charge.currency, charge.chain_id, payer,
                           rpc_ != nullptr ? rpc_->url() : std::string("(none)")};
    if (auto affordable = CheckCost(*quote, cost, settings_.policy); !affordable) return affordable.error();
    msg::Verbose("cost: " + CostText(*quote, charge) +
                 (quote->balance ? "; balance " + FormatTokenAmount(*quote->balance) : ""));
    tempo::TempoTransaction tx = BuildChargeTransaction(challenge, charge, quote->values, now);
    p.record.fee = quote->max_fee;
    p.record.valid_before = tx.valid_before.value_or(0);
    p.record.block = quote->block;
    p.record.memo = ToHex(ChargeMemo(challenge, charge));
    tempo::SignAsSender(tx, *key);
    if (verdict.mode == PayMode::kPullSponsored) {
      payload.hex = ToHex(tempo::FeePayerEnvelope0x78(tx, payer));
      // The final hash depends on the fee token and signature the sponsor adds; the receipt has it.
    } else {
      Bytes raw = tempo::SignedRaw(tx);
      Hash32 hash = tempo::TxHash(raw);
      p.record.tx_hash = ToHex(hash);
      signed_raw_hex = ToHex(raw);
      if (verdict.mode == PayMode::kPush) {
        payload.type = CredentialPayload::Type::kHash;
        payload.hex = p.record.tx_hash;
      } else {
        payload.hex = signed_raw_hex;
      }
    }
  }

  // Journal (and budget check) before anything that can move money leaves the process.
  auto id = ledger_.RecordSigned(p.record);
  if (!id) return id.error();
  p.payment_id = *id;

  // The credential is built (and dumped) before a push payment is broadcast: once the transaction is
  // out, a local failure must not leave it unsent.
  auto credential = BuildCredential(challenge, payload, tempo::DidPkh(charge.chain_id, payer));
  if (!credential) {
    ledger_.RecordRefused(p.payment_id, "not sent: " + credential.error().message);
    return credential.error();
  }
  p.credential = SecretString(std::move(*credential));
  if (!settings_.dump_credential_path.empty()) {
    if (auto dumped = DumpCredential(settings_.dump_credential_path, p.credential.str()); !dumped) {
      ledger_.RecordRefused(p.payment_id, "not sent: " + dumped.error().message);
      return dumped.error();
    }
  }

  if (verdict.mode == PayMode::kPush) {
    if (rpc_ == nullptr) {
      ledger_.RecordRefused(p.payment_id, "not broadcast: no RPC");
      return MakeError(ErrorKind::kNetwork,
                       "push payment needs an RPC endpoint (--rpc-url); nothing was paid");
    }
    msg::Verbose("broadcasting " + p.record.tx_hash + " via " + rpc_->url());
    auto receipt = rpc_->SendRawTransactionSync(signed_raw_hex);
    if (!receipt) {
      ledger_.RecordUnknown(p.payment_id, "broadcast failed: " + receipt.error().message);
      return MakeError(
          receipt.error().kind == ErrorKind::kInterrupted ? ErrorKind::kInterrupted : ErrorKind::kNetwork,
          "broadcasting the payment failed (" + receipt.error().message + "); tx " + p.record.tx_hash +
              " may or may not be on chain; 'mpp wallet history' marks it unknown");
    }
    p.fee_paid = receipt->fee_paid;
    if (!receipt->success) {
      ledger_.RecordRefused(p.payment_id, "transaction reverted on chain");
      return MakeError(ErrorKind::kNetwork, "the payment transaction " + p.record.tx_hash +
                                                " reverted on chain; no funds moved (check your balance)");
    }
  }

  return p;
}

Result<FlowResult> PayFlow::SendPaid(const net::HttpRequest& request, const net::BodySink* sink,
                                     Prepared& p) {
  net::HttpRequest paid = request;  // identical method, URL and body bytes
  paid.send_once = true;
  paid.headers.push_back({p.header_name, p.credential.str()});
  paid.headers.push_back({"Idempotency-Key", RandomUuid()});
  msg::Verbose("sending the payment credential (" + std::string(PayModeName(p.record.mode)) + ", " +
               AmountText(p.record) + TxText(p.record) + ")");

  net::TransportFailure failure;
  auto response = http_.Perform(paid, sink, &failure);
  for (auto& header : paid.headers) Wipe(header.value);
  const bool answering = failure.partial.status >= 200 && failure.partial.status < 300;
  if (!response && answering && (failure.body_too_large || failure.partial.FirstHeader("Payment-Receipt"))) {
    // The service accepted the payment and began answering; only the body was cut off, by the network
    // or by mpp itself at its size limit (--max-response).
    std::string note = failure.body_too_large ? "answer cut off: " + failure.message : std::string();
    auto receipt = TrustedReceipt(failure.partial, p.record, note);
    RecordSettlement(p, receipt ? &*receipt : nullptr, note);
    std::string tx = receipt && !receipt->reference.empty() ? ", tx " + receipt->reference : TxText(p.record);
    std::string why =
        failure.body_too_large ? failure.message + "; --max-response raises the limit" : failure.message;
    return MakeError(
        response.error().kind == ErrorKind::kInterrupted ? ErrorKind::kInterrupted : ErrorKind::kNetwork,
        "the answer was cut off (" + why + ") after the payment of " + AmountText(p.record) + tx +
            " settled");
  }
  if (!response) {
    bool interrupted = response.error().kind == ErrorKind::kInterrupted;
    ledger_.RecordUnknown(p.payment_id, interrupted ? "interrupted" : "connection lost: " + failure.message);
    std::string what = interrupted ? "interrupted" : "the connection failed (" + failure.message + ")";
    return MakeError(interrupted ? ErrorKind::kInterrupted : ErrorKind::kNetwork,
                     what + " after the payment credential was sent; the payment of " + AmountText(p.record) +
                         TxText(p.record) + " may have settled; 'mpp wallet history' lists it as unknown");
  }

  if (response->status >= 200 && response->status < 300) {
    PaymentSummary summary{p.record.mode,     p.record.amount,  p.record.currency,     p.record.recipient,
                           p.record.chain_id, p.record.tx_hash, p.record.challenge_id, std::nullopt,
                           p.record.fee,      p.fee_paid,       p.payment_id};
    std::string note;
    if (response->FirstHeader("Payment-Receipt")) {
      summary.receipt = TrustedReceipt(*response, p.record, note);
      if (summary.receipt && summary.tx_hash.empty() && p.record.mode != PayMode::kProof)
        summary.tx_hash = summary.receipt->reference;
    } else {
      msg::Warning("the server answered " + std::to_string(response->status) + " without a Payment-Receipt");
    }
    RecordSettlement(p, summary.receipt ? &*summary.receipt : nullptr, note);
    return FlowResult{std::move(*response), std::move(summary)};
  }

  if (response->status >= 300 && response->status < 400) {
    ledger_.RecordRefused(p.payment_id, "HTTP " + std::to_string(response->status) + " redirect");
    return RedirectError(
        *response, request.url,
        " after the payment credential was sent (at stake: " + AmountText(p.record) + TxText(p.record) + ")");
  }
  ServiceErrorBody said = ReadServiceErrorBody(response->body);
  if (response->status != 402 && !said.payment_problem) return Undelivered(*response, said, p);
  std::string problem_text = "HTTP " + std::to_string(response->status);
  if (auto problem = ParseProblemDetails(response->body)) problem_text += ": " + DescribeProblem(*problem);
  ledger_.RecordRefused(p.payment_id, problem_text);
  return MakeError(ErrorKind::kPaymentRefusedByServer, "the server refused the payment (" + problem_text +
                                                           "); at stake: " + AmountText(p.record) +
                                                           TxText(p.record) + "; mpp did not pay again");
}

}  // namespace mpp::protocol
