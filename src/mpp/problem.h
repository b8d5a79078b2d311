// RFC 9457 problem details (application/problem+json) in MPP error responses, and what they mean.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mpp::protocol {

// The problem types servers send under https://paymentauth.org/problems/. The core seven are the
// spec's; the rest are what mppx 0.11, mpp-rs and pympp emit.
enum class ProblemType {
  kUnknown,                // not one of ours (or about:blank)
  kPaymentRequired,        // 402: no (usable) credential
  kPaymentInsufficient,    // 402: amount too low
  kPaymentExpired,         // 402: challenge or authorization expired
  kVerificationFailed,     // 402: proof invalid
  kMethodUnsupported,      // 400
  kMalformedCredential,    // 402
  kInvalidChallenge,       // 402: challenge id unknown, expired or already used
  kInvalidPayload,         // 402 (mppx, mpp-rs)
  kBadRequest,             // 400 (mppx, mpp-rs)
  kPaymentActionRequired,  // 402 (mppx, mpp-rs): e.g. 3-D Secure
  kInternalPaymentError,   // 500 (mppx internal-payment-error, mpp-rs internal-error)
  kPaymentError,           // pympp's generic payment-error
  kSession,                // session/*: channel problems of the session intent
};

struct ProblemDetails {
  ProblemType kind = ProblemType::kUnknown;
  // Server text, display-safe (see DisplayText) and empty when absent or not a string.
  std::string type;
  std::string title;
  std::string detail;
  std::string challenge_id;  // mppx, mpp-rs and pympp add the challenge id
  std::string hint;
  std::optional<int> status;  // only when an integer from 100 to 599
};

inline constexpr std::size_t kMaxProblemBodyBytes = 64 * 1024;

// Classifies a problem `type` URI; kUnknown for anything not listed above.
ProblemType ClassifyProblemType(std::string_view type_uri);

// A short human explanation of `type_uri` for messages ("the server could not verify the payment"),
// or an empty view for unknown types. Static storage.
std::string_view ExplainProblemType(std::string_view type_uri);

// Parses a problem+json body. nullopt when the body is larger than kMaxProblemBodyBytes, not a JSON
// object, or has none of type, title, status and detail. Mistyped members are treated as absent.
std::optional<ProblemDetails> ParseProblemDetails(std::string_view body);

// One line for the user: the explanation (or else the title), then the server's detail, e.g.
// "the server could not verify the payment (server: Payment verification failed: amount mismatch.)".
std::string DescribeProblem(const ProblemDetails& problem);

}  // namespace mpp::protocol
