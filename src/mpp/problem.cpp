#include "mpp/problem.h"

#include <array>

#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

constexpr std::string_view kTypeBase = "https://paymentauth.org/problems/";
constexpr std::size_t kMaxProblemFieldChars = 300;

struct KnownProblem {
  std::string_view slug;  // after kTypeBase
  ProblemType kind;
  std::string_view explanation;
};

constexpr std::array<KnownProblem, 21> kKnownProblems = {{
    {"payment-required", ProblemType::kPaymentRequired, "the server requires payment for this request"},
    {"payment-insufficient", ProblemType::kPaymentInsufficient,
     "the server says the amount paid is below its price"},
    {"payment-expired", ProblemType::kPaymentExpired,
     "the challenge or payment expired before the server checked it"},
    {"verification-failed", ProblemType::kVerificationFailed, "the server could not verify the payment"},
    {"method-unsupported", ProblemType::kMethodUnsupported, "the server does not accept this payment method"},
    {"malformed-credential", ProblemType::kMalformedCredential,
     "the server could not parse the payment credential"},
    {"invalid-challenge", ProblemType::kInvalidChallenge,
     "the server does not recognise the challenge (unknown, expired or already used)"},
    {"invalid-payload", ProblemType::kInvalidPayload,
     "the server found the credential's payload invalid for this payment method"},
    {"bad-request", ProblemType::kBadRequest, "the server rejected the request as malformed"},
    {"payment-action-required", ProblemType::kPaymentActionRequired,
     "the payment needs an extra step (such as 3-D Secure) that this tool cannot take"},
    {"internal-payment-error", ProblemType::kInternalPaymentError,
     "the server failed while processing the payment; whether it settled is unknown"},
    {"internal-error", ProblemType::kInternalPaymentError,
     "the server failed while processing the payment; whether it settled is unknown"},
    {"payment-error", ProblemType::kPaymentError, "the server reported a payment error"},
    {"session/insufficient-balance", ProblemType::kSession, "the payment channel's balance is too low"},
    {"session/invalid-signature", ProblemType::kSession, "the server could not verify the voucher signature"},
    {"session/signer-mismatch", ProblemType::kSession,
     "the signer is not authorized for the payment channel"},
    {"session/amount-exceeds-deposit", ProblemType::kSession, "the voucher exceeds the channel's deposit"},
    {"session/delta-too-small", ProblemType::kSession, "the voucher increase is below the server's minimum"},
    {"session/channel-not-found", ProblemType::kSession, "the payment channel does not exist"},
    {"session/channel-finalized", ProblemType::kSession, "the payment channel is closed"},
    {"session/challenge-not-found", ProblemType::kSession, "the server does not know the challenge"},
}};

const KnownProblem* FindKnown(std::string_view type_uri) {
  if (type_uri.substr(0, kTypeBase.size()) != kTypeBase) return nullptr;
  std::string_view slug = type_uri.substr(kTypeBase.size());
  for (const KnownProblem& known : kKnownProblems) {
    if (known.slug == slug) return &known;
  }
  return nullptr;
}

}  // namespace

ProblemType ClassifyProblemType(std::string_view type_uri) {
  const KnownProblem* known = FindKnown(type_uri);
  return known ? known->kind : ProblemType::kUnknown;
}

std::string_view ExplainProblemType(std::string_view type_uri) {
  const KnownProblem* known = FindKnown(type_uri);
  return known ? known->explanation : std::string_view();
}

std::optional<ProblemDetails> ParseProblemDetails(std::string_view body) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(body, kMaxProblemBodyBytes, doc, why) || !doc.IsObject()) return std::nullopt;

  auto field = [&](const char* name) {
    auto value = json::OptionalString(doc, name);
    return value ? DisplayText(*value, kMaxProblemFieldChars) : std::string();
  };
  ProblemDetails problem;
  problem.type = field("type");
  problem.title = field("title");
  problem.detail = field("detail");
  problem.challenge_id = field("challengeId");
  problem.hint = field("hint");
  auto status = doc.FindMember("status");
  if (status != doc.MemberEnd() && status->value.IsInt() && status->value.GetInt() >= 100 &&
      status->value.GetInt() <= 599) {
    problem.status = status->value.GetInt();
  }
  if (problem.type.empty() && problem.title.empty() && problem.detail.empty() && !problem.status) {
    return std::nullopt;
  }
  problem.kind = ClassifyProblemType(problem.type);
  return problem;
}

std::string DescribeProblem(const ProblemDetails& problem) {
  std::string out(ExplainProblemType(problem.type));
  if (out.empty()) out = problem.title;
  if (out.empty()) out = problem.type;
  if (out.empty()) out = "the server reported a problem";
  if (!problem.detail.empty()) out += " (server: " + problem.detail + ")";
  return out;
}

}  // namespace mpp::protocol
