// Fakes for testing the pay flow without sockets: a scripted transport and an in-memory ledger that,
// like the journal, records a realm's challenge id once.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mpp/flow.h"
#include "util/base64url.h"

namespace mpp::testing {

// Answers each Perform with the next scripted response (or failure) and records the requests.
class ScriptedTransport : public net::HttpTransport {
 public:
  struct Step {
    net::HttpResponse response;
    bool fail = false;
    bool request_sent = true;
    bool body_too_large = false;  // with fail: mpp's size limit stopped the transfer of `response`
  };
  std::deque<Step> steps;
  std::vector<net::HttpRequest> requests;

  Result<net::HttpResponse> Perform(const net::HttpRequest& request, const net::BodySink* sink,
                                    net::TransportFailure* failure) override {
    requests.push_back(request);
    if (steps.empty()) return MakeError(ErrorKind::kNetwork, "no scripted response");
    Step step = steps.front();
    steps.pop_front();
    if (step.fail) {
      if (failure) {
        failure->message = step.body_too_large ? "the answer is larger than 64 bytes" : "connection reset";
        failure->request_may_have_been_sent = step.request_sent;
        failure->body_too_large = step.body_too_large;
        failure->partial = step.response;  // what had arrived: its status line and headers
      }
      return MakeError(ErrorKind::kNetwork,
                       step.body_too_large ? "the answer is larger than 64 bytes" : "connection reset");
    }
    if (sink != nullptr && step.response.status >= 200 && step.response.status < 300) {
      (*sink)(step.response.body);
      step.response.body.clear();
      step.response.body_streamed = true;
    }
    return step.response;
  }
};

class MemoryLedger : public protocol::PaymentLedger {
 public:
  struct Entry {
    protocol::PaymentRecord record;
    std::string outcome;  // "" (signed only), settled, refused, unknown, undelivered
    std::string detail;
    std::string note = {};  // settled with a note
  };
  std::vector<Entry> entries;
  std::map<std::size_t, protocol::UndeliveredOutcome>
      undelivered;                                // entry index -> what RecordUndelivered got
  std::set<std::size_t> settled_without_receipt;  // entries settled by RecordSettledWithoutReceipt
  bool refuse = false;

  Result<std::string> RecordSigned(const protocol::PaymentRecord& record) override {
    if (refuse) return MakeError(ErrorKind::kPaymentRefusedLocally, "daily budget exhausted");
    for (const auto& e : entries) {
      if (e.record.realm == record.realm && e.record.challenge_id == record.challenge_id) {
        return MakeError(ErrorKind::kChallengeAlreadyPaid,
                         "challenge " + record.challenge_id + " is already paid");
      }
    }
    entries.push_back({record, "", ""});
    return std::to_string(entries.size() - 1);
  }
  void RecordSettled(const std::string& id, std::string_view reference) override {
    Set(id, "settled", reference);
  }
  void RecordSettledWithNote(const std::string& id, std::string_view reference, bool from_receipt,
                             const std::optional<U256>& fee_paid, std::string_view note) override {
    (void)fee_paid;  // only a pushed payment's chain receipt reports one; these tests push nothing
    if (from_receipt) {
      RecordSettled(id, reference);
    } else {
      RecordSettledWithoutReceipt(id, reference);
    }
    entries.at(std::stoul(id)).note = std::string(note);
  }
  void RecordRefused(const std::string& id, std::string_view problem) override {
    Set(id, "refused", problem);
  }
  void RecordUnknown(const std::string& id, std::string_view reason) override { Set(id, "unknown", reason); }
  void RecordSettledWithoutReceipt(const std::string& id, std::string_view tx_hash) override {
    Set(id, "settled", tx_hash);
    settled_without_receipt.insert(std::stoul(id));
  }
  void RecordUndelivered(const std::string& id, const protocol::UndeliveredOutcome& outcome) override {
    Set(id, "undelivered", outcome.error);
    undelivered[std::stoul(id)] = outcome;
  }

  // Increments (RecordIncrement), in order, with the id of their payment.
  std::vector<std::pair<std::string, protocol::PaymentIncrement>> increments;
  bool refuse_increments = false;
  Status RecordIncrement(const std::string& id, const protocol::PaymentIncrement& increment) override {
    if (refuse_increments) return MakeError(ErrorKind::kPaymentRefusedLocally, "daily budget exhausted");
    increments.emplace_back(id, increment);
    return {};
  }

 private:
  void Set(const std::string& id, const char* outcome, std::string_view detail) {
    auto& e = entries.at(std::stoul(id));
    e.outcome = outcome;
    e.detail = std::string(detail);
  }
};

inline net::HttpResponse Response(long status, std::vector<net::Header> headers = {}, std::string body = {}) {
  net::HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// A Payment challenge header value for a tempo/charge request given as JSON.
inline std::string ChargeChallenge(const std::string& id, const std::string& request_json,
                                   const std::string& expires = "2099-01-01T00:00:00Z") {
  return "Payment id=\"" + id +
         "\", realm=\"api.example.com\", method=\"tempo\", intent=\"charge\", request=\"" +
         EncodeBase64Url(request_json) + "\", expires=\"" + expires + "\"";
}

}  // namespace mpp::testing
