// The generic layer of WWW-Authenticate (RFC 9110 section 11): challenges, auth-params, token68,
// before any scheme-specific rule. challenge.h applies the Payment scheme's rules on top.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpp::protocol {

// One challenge as it appeared in a field value.
struct AuthChallenge {
  std::string scheme;  // as received; empty for junk found before any scheme
  std::optional<std::string> token68;
  // Every auth-param in order, duplicates kept: names lowercased, values unquoted and unescaped.
  std::vector<std::pair<std::string, std::string>> params;
  // Non-empty when this challenge is malformed: the first problem found, in words. Params after the
  // problem are not collected.
  std::string error;
};

// Splits one WWW-Authenticate field value into its challenges. A new challenge starts at a token that
// is not followed by '=' (never inside a quoted-string); commas separate both params and challenges.
// Quoted-strings follow RFC 9110 (backslash escapes; control characters refused) plus two things
// mppx servers do: "\uXXXX" (UTF-16, pairs combined) for characters above U+00FF, and raw bytes
// 0x80-0xFF meaning Latin-1 when a value is not valid UTF-8. So every value returned is valid UTF-8.
// Never fails and never reads past `field_value`: malformed parts come back with `error` set. Time and
// memory are linear in the input.
std::vector<AuthChallenge> ParseAuthChallenges(std::string_view field_value);

}  // namespace mpp::protocol
