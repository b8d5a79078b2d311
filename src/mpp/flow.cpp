#include "mpp/flow.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>
#include <utility>

#include "mpp/credential.h"
#include "mpp/intents.h"
#include "mpp/problem.h"
#include "net/url.h"
#include "util/clock.h"
#include "util/message.h"
#include "util/random.h"
#include "util/secret.h"
#include "util/text.h"

namespace mpp::protocol {

namespace {

// ", tx 0x..." when the payment's on-chain reference is known, else empty.
std::string TxText(const PreparedPayment& p, const Receipt* trusted = nullptr) {
  std::string reference = p.Reference(trusted);
  return reference.empty() ? std::string() : ", tx " + reference;
}

// How many challenges the flow asks for when each one's id is already paid in the journal.
constexpr int kFreshChallengeAttempts = 4;

// Sleeps `ms` milliseconds; false when a signal (Ctrl-C) cut the pause short.
bool PauseMilliseconds(int ms) {
  const timespec pause{ms / 1000, static_cast<long>(ms % 1000) * 1'000'000};
  return ::nanosleep(&pause, nullptr) == 0;
}

// "1 retry", "2 retries".
std::string RetriesText(int n) { return std::to_string(n) + (n == 1 ? " retry" : " retries"); }

// "0.5 s", "2 s".
std::string SecondsText(std::int64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

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

}  // namespace

PayFlow::PayFlow(net::HttpTransport& http, tempo::RpcClient* rpc, PaymentLedger& ledger, KeySource keys,
                 FlowSettings settings, net::HttpTransport* side, ChannelBook* channels)
    : http_(http),
      rpc_(rpc),
      ledger_(ledger),
      keys_(std::move(keys)),
      settings_(std::move(settings)),
      side_(side),
      channels_(channels) {
  if (!settings_.now) settings_.now = UnixNow;
  SetProbeRetry(ProbeRetry{});
}

void PayFlow::SetProbeRetry(ProbeRetry retry) {
  retry_ = std::move(retry);
  if (!retry_.pause) retry_.pause = PauseUnlessInterrupted;
  if (!retry_.jitter) {
    retry_.jitter = [] {
      Bytes random = RandomBytes(2);
      return static_cast<double>((random[0] << 8) | random[1]) / 65535.0;
    };
  }
}

Result<net::HttpResponse> PayFlow::SendProbe(const net::HttpRequest& request, const net::BodySink* sink) {
  for (int retry = 0;; ++retry) {
    net::TransportFailure failure;
    auto response = http_.Perform(request, sink, &failure);
    const bool may_retry = retry < retry_.retries;
    std::string why;
    std::optional<std::int64_t> asked_seconds;
    if (!response) {
      if (response.error().kind == ErrorKind::kInterrupted) return response.error();
      // Only a request that never reached the server is sent again: one it may have read (a timeout,
      // a reset) could be a free call it is still answering.
      if (!may_retry || response.error().kind != ErrorKind::kNetwork || failure.request_may_have_been_sent) {
        return MakeError(ErrorKind::kNetwork, "could not reach " + request.url + ": " +
                                                  response.error().message +
                                                  (retry > 0 ? " (after " + RetriesText(retry) + ")" : ""));
      }
      why = "could not connect (" + DisplayText(response.error().message, 200) + ")";
    } else {
      if (!may_retry || !RetryableProbeStatus(response->status)) return response;
      why = "the server answered HTTP " + std::to_string(response->status);
      if (auto header = response->FirstHeader("Retry-After")) {
        asked_seconds = ParseRetryAfter(*header, settings_.now());
        if (asked_seconds && *asked_seconds * 1000 > retry_.max_wait_ms) {
          msg::Verbose(why + " and asks to wait " + std::to_string(*asked_seconds) + " s (Retry-After), " +
                       "longer than mpp waits (" + std::to_string(retry_.max_wait_ms / 1000) +
                       " s); not retrying");
          return response;
        }
      }
    }
    const std::int64_t wait_ms =
        std::min(asked_seconds ? *asked_seconds * 1000 : BackoffMilliseconds(retry, retry_.jitter()),
                 retry_.max_wait_ms);
    const std::string note =
        why + "; retrying in " + SecondsText(wait_ms) + (asked_seconds ? " (Retry-After)" : "") + ", retry " +
        std::to_string(retry + 1) + " of " + std::to_string(retry_.retries) + " (nothing was paid)";
    if (retry_.announce) {
      msg::Info(note);
    } else {
      msg::Verbose(note);
    }
    if (!retry_.pause(wait_ms)) return MakeError(ErrorKind::kInterrupted, "interrupted");
  }
}

Result<net::HttpResponse> PayFlow::Probe(const net::HttpRequest& request) {
  if (!net::ParseOrigin(request.url)) {
    return MakeError(ErrorKind::kUsage, "'" + request.url + "' is not an http:// or https:// URL");
  }
  return SendProbe(request, nullptr);
}

Status PayFlow::AnswerEvent(std::string_view type, std::string_view data) {
  if (in_flight_ == nullptr) return {};
  IntentContext context{rpc_, keys_, settings_, side_, channels_};
  Status handled = in_flight_->OnAnswerEvent(type, data, context, ledger_);
  if (!handled && !stopped_) stopped_ = handled.error();
  return handled;
}

Result<FlowResult> PayFlow::Perform(const net::HttpRequest& request, const net::BodySink* sink) {
  auto origin = net::ParseOrigin(request.url);
  if (!origin) return MakeError(ErrorKind::kUsage, "'" + request.url + "' is not an http:// or https:// URL");
  // While the probe is in flight, another core does the one-time setup the signature would otherwise
  // do between the 402 and the credential. Joined when Perform returns.
  std::jthread warm_up(crypto::WarmUpSigning);

  for (int attempt = 1;; ++attempt) {
    auto probe = SendProbe(request, sink);
    if (!probe) return probe.error();
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
    if (before_paying_) {
      if (auto go = before_paying_(*chosen); !go) return go.error();
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
  for (auto& v : verdicts) {
    const Intent* intent = v.acceptable ? FindIntent(v.challenge.intent) : nullptr;
    v.standing = intent != nullptr && intent->HasStanding(v, channels_);
  }
  return Evaluation{std::move(verdicts), std::move(parsed.rejected)};
}

Result<PayFlow::Pending> PayFlow::Prepare(const ChallengeVerdict& verdict, const net::HttpRequest& request) {
  Intent* intent = FindIntent(verdict.challenge.intent);
  if (intent == nullptr) {
    return MakeError(ErrorKind::kUnexpected,
                     "no intent pays '" + DisplayText(verdict.challenge.intent, 40) + "'");
  }
  IntentContext context{rpc_, keys_, settings_, side_, channels_};
  auto prepared = intent->Prepare(verdict, request, context);
  if (!prepared) return prepared.error();
  PreparedPayment& payment = **prepared;

  // Journal (and budget check) before anything that can move money leaves the process.
  auto id = ledger_.RecordSigned(payment.record);
  if (!id) return id.error();
  payment.payment_id = *id;

  // The credential is built (and dumped) before the intent's last step (a push payment's broadcast):
  // once money moves, a local failure must not leave the credential unsent.
  auto credential = payment.Credential();
  if (!credential) {
    ledger_.RecordRefused(payment.payment_id, "not sent: " + credential.error().message);
    return credential.error();
  }
  if (!settings_.dump_credential_path.empty()) {
    if (auto dumped = DumpCredential(settings_.dump_credential_path, credential->str()); !dumped) {
      ledger_.RecordRefused(payment.payment_id, "not sent: " + dumped.error().message);
      return dumped.error();
    }
  }
  if (auto ready = payment.BeforeSend(context, ledger_); !ready) return ready.error();
  return Pending{std::move(*prepared), CredentialHeaderName(verdict.challenge), std::move(*credential)};
}

Result<FlowResult> PayFlow::SendPaid(const net::HttpRequest& request, const net::BodySink* sink,
                                     Pending& pending) {
  PreparedPayment& p = *pending.payment;
  net::HttpRequest paid = request;  // identical method, URL and body bytes
  paid.send_once = true;
  paid.headers.push_back({pending.header_name, pending.credential.str()});
  paid.headers.push_back({"Idempotency-Key", RandomUuid()});
  msg::Verbose("sending the payment credential (" + p.record.mode + ", " + p.StakeText() + TxText(p) + ")");

  net::TransportFailure failure;
  in_flight_ = &p;
  stopped_.reset();
  auto response = http_.Perform(paid, sink, &failure);
  in_flight_ = nullptr;
  if (stopped_) {
    // The payment itself ended the answer (a stream asked for more than the caps allow): what was
    // signed stands; what arrived was delivered.
    Error stop = *std::exchange(stopped_, std::nullopt);
    p.RecordSettlement(ledger_, nullptr, "answer stopped: " + stop.message);
    return MakeError(stop.kind, stop.message + "; the answer stopped there, after the payment of " +
                                    p.StakeText() + TxText(p));
  }
  for (auto& header : paid.headers) Wipe(header.value);
  const bool answering = failure.partial.status >= 200 && failure.partial.status < 300;
  if (!response && answering && (failure.body_too_large || failure.partial.FirstHeader("Payment-Receipt"))) {
    // The service accepted the payment and began answering; only the body was cut off, by the network
    // or by mpp itself at its size limit (--max-response).
    std::string note = failure.body_too_large ? "answer cut off: " + failure.message : std::string();
    auto receipt = TrustedReceipt(failure.partial, p, note);
    p.RecordSettlement(ledger_, receipt ? &*receipt : nullptr, note);
    std::string why =
        failure.body_too_large ? failure.message + "; --max-response raises the limit" : failure.message;
    return MakeError(
        response.error().kind == ErrorKind::kInterrupted ? ErrorKind::kInterrupted : ErrorKind::kNetwork,
        "the answer was cut off (" + why + ") after the payment of " + p.StakeText() +
            TxText(p, receipt ? &*receipt : nullptr) + " settled");
  }
  if (!response) {
    bool interrupted = response.error().kind == ErrorKind::kInterrupted;
    ledger_.RecordUnknown(p.payment_id, interrupted ? "interrupted" : "connection lost: " + failure.message);
    std::string what = interrupted ? "interrupted" : "the connection failed (" + failure.message + ")";
    return MakeError(interrupted ? ErrorKind::kInterrupted : ErrorKind::kNetwork,
                     what + " after the payment credential was sent; the payment of " + p.StakeText() +
                         TxText(p) + " may have settled; 'mpp wallet history' lists it as unknown");
  }

  if (response->status >= 200 && response->status < 300) {
    std::string note;
    std::optional<Receipt> receipt;
    if (response->FirstHeader("Payment-Receipt")) {
      receipt = TrustedReceipt(*response, p, note);
    } else if (!p.ReceiptInStream()) {
      msg::Warning("the server answered " + std::to_string(response->status) + " without a Payment-Receipt");
    }
    p.RecordSettlement(ledger_, receipt ? &*receipt : nullptr, note);
    return FlowResult{std::move(*response), p.Summarize(receipt)};
  }

  if (response->status >= 300 && response->status < 400) {
    ledger_.RecordRefused(p.payment_id, "HTTP " + std::to_string(response->status) + " redirect");
    return RedirectError(
        *response, request.url,
        " after the payment credential was sent (at stake: " + p.StakeText() + TxText(p) + ")");
  }
  ServiceErrorBody said = ReadServiceErrorBody(response->body);
  if (response->status != 402 && !said.payment_problem) return Undelivered(*response, said, p);
  std::string problem_text = "HTTP " + std::to_string(response->status);
  if (auto problem = ParseProblemDetails(response->body)) problem_text += ": " + DescribeProblem(*problem);
  IntentContext context{rpc_, keys_, settings_, side_, channels_};
  p.OnRefused(response->status, context);
  ledger_.RecordRefused(p.payment_id, problem_text);
  return MakeError(ErrorKind::kPaymentRefusedByServer, "the server refused the payment (" + problem_text +
                                                           "); at stake: " + p.StakeText() + TxText(p) +
                                                           "; mpp did not pay again");
}

}  // namespace mpp::protocol
