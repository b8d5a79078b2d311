// Payment challenges (WWW-Authenticate: Payment ...) as the MPP core spec defines them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mpp::protocol {

// One usable Payment challenge. Strings are exactly as received after quoted-string unescaping (and
// always valid UTF-8, see ParseAuthChallenges); the credential echoes them unchanged, so nothing here
// is normalised or re-encoded.
struct Challenge {
  std::string id;  // non-empty
  std::string realm;
  std::string method;   // lowercase: [a-z][a-z0-9:_-]*
  std::string intent;   // 1*(ALPHA / DIGIT / "-")
  std::string request;  // base64url without padding, at most kMaxRequestChars; decode, never re-encode
  std::optional<std::string> expires;      // RFC 3339, as received
  std::optional<std::int64_t> expires_at;  // `expires` in UNIX seconds; set whenever `expires` is
  std::optional<std::string> description;  // server text: print through DisplayText
  std::optional<std::string> digest;
  std::optional<std::string> opaque;          // base64url JSON string map; echoed as this same string
  std::optional<std::string> header;          // where the credential goes instead of Authorization
  std::map<std::string, std::string> params;  // every auth-param, names lowercased, unknown ones too
};

// A challenge the client cannot use, and why (for -v). Server text here is already display-safe.
struct RejectedChallenge {
  std::string scheme;  // as received (display-safe); empty for junk before any scheme
  std::string id;      // the challenge's id param when it had one (display-safe), else empty
  std::string reason;  // e.g. "missing request", "duplicate parameter \"id\"", "not a Payment challenge"
};

struct ChallengeList {
  std::vector<Challenge> challenges;        // usable Payment challenges, in the order received
  std::vector<RejectedChallenge> rejected;  // the first kMaxRejectedReported others, in order
  std::size_t more_rejected = 0;            // how many further ones were not listed
};

inline constexpr std::size_t kMaxRequestChars = 16 * 1024;  // mppx and mpp-rs refuse larger ones
inline constexpr std::size_t kMaxRejectedReported = 16;

// Parses the values of every WWW-Authenticate header line of one response (several challenges may
// share a line, comma-joined). Payment scheme and param names match case-insensitively; unknown params
// are kept in `params` and otherwise ignored; other schemes (Bearer, Basic, ...) are rejected as "not a
// Payment challenge". A Payment challenge is rejected, with the reason, when it is malformed, carries a
// token68, repeats a param, lacks id (or has it empty), realm, method, intent or request, has a method
// that is not lowercase, a request that is not unpadded base64url or is too large, an `expires` that is
// not RFC 3339, or a `header` that is not a header name the credential may go in. Never fails; linear
// in the input; any bytes are accepted.
ChallengeList ParseChallenges(std::span<const std::string_view> header_values);
ChallengeList ParseChallenges(std::string_view header_value);

}  // namespace mpp::protocol
