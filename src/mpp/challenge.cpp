#include "mpp/challenge.h"

#include <algorithm>
#include <array>

#include "mpp/www_authenticate.h"
#include "util/rfc3339.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

constexpr std::size_t kMaxDisplayedId = 80;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

bool IsLowerMethod(std::string_view method) {
  if (method.empty() || method[0] < 'a' || method[0] > 'z') return false;
  return std::all_of(method.begin(), method.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '-';
  });
}

bool IsIntent(std::string_view intent) {
  return !intent.empty() && std::all_of(intent.begin(), intent.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsBase64UrlNoPad(std::string_view text) {
  return !text.empty() && text.size() % 4 != 1 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool IsHeaderName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// Headers that frame or route the request, or carry other secrets: a server may not ask for the
// credential to go there.
bool IsForbiddenCredentialHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kForbidden = {"host",
                                                                  "content-length",
                                                                  "content-type",
                                                                  "transfer-encoding",
                                                                  "connection",
                                                                  "keep-alive",
                                                                  "upgrade",
                                                                  "te",
                                                                  "trailer",
                                                                  "expect",
                                                                  "proxy-authorization",
                                                                  "proxy-connection",
                                                                  "cookie",
                                                                  "content-encoding"};
  return std::any_of(kForbidden.begin(), kForbidden.end(),
                     [&](std::string_view f) { return EqualsIgnoreCase(name, f); });
}

std::optional<std::string> Take(const std::map<std::string, std::string>& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

// The Payment-scheme rules on one generic challenge: a Challenge, or why not (in `reason`).
std::optional<Challenge> ToPaymentChallenge(const AuthChallenge& raw, std::string& reason) {
  if (!raw.error.empty()) {
    reason = raw.error;
    return std::nullopt;
  }
  if (raw.token68) {
    reason = "carries a token68 instead of parameters";
    return std::nullopt;
  }
  Challenge c;
  for (const auto& [name, value] : raw.params) {
    if (!c.params.emplace(name, value).second) {
      reason = "duplicate parameter \"" + DisplayText(name, 40) + "\"";
      return std::nullopt;
    }
  }
  for (const char* required : {"id", "realm", "method", "intent", "request"}) {
    if (!c.params.count(required)) {
      reason = std::string("missing ") + required;
      return std::nullopt;
    }
  }
  c.id = c.params["id"];
  c.realm = c.params["realm"];
  c.method = c.params["method"];
  c.intent = c.params["intent"];
  c.request = c.params["request"];
  c.expires = Take(c.params, "expires");
  c.description = Take(c.params, "description");
  c.digest = Take(c.params, "digest");
  c.opaque = Take(c.params, "opaque");
  c.header = Take(c.params, "header");

  if (c.expires) c.expires_at = ParseRfc3339(*c.expires);

  if (c.id.empty()) {
    reason = "empty id";
  } else if (!IsLowerMethod(c.method)) {
    reason = "method \"" + DisplayText(c.method, 40) + "\" is not a lowercase method name";
  } else if (!IsIntent(c.intent)) {
    reason = "intent \"" + DisplayText(c.intent, 40) + "\" is not an intent name";
  } else if (c.request.size() > kMaxRequestChars) {
    reason = "request is larger than " + std::to_string(kMaxRequestChars) + " characters";
  } else if (!IsBase64UrlNoPad(c.request)) {
    reason = "request is not unpadded base64url";
  } else if (c.expires && !c.expires_at) {
    reason = "expires \"" + DisplayText(*c.expires, 40) + "\" is not an RFC 3339 date-time";
  } else if (c.header && !IsHeaderName(*c.header)) {
    reason = "header parameter is not a header name";
  } else if (c.header && IsForbiddenCredentialHeader(*c.header)) {
    reason = "header parameter names " + *c.header + ", which cannot carry a credential";
  }
  if (!reason.empty()) return std::nullopt;
  return c;
}

std::string DisplayedId(const AuthChallenge& raw) {
  for (const auto& [name, value] : raw.params) {
    if (name == "id") return DisplayText(value, kMaxDisplayedId);
  }
  return {};
}

void AddLine(std::string_view header_value, ChallengeList& out) {
  for (const AuthChallenge& raw : ParseAuthChallenges(header_value)) {
    std::string reason;
    if (!EqualsIgnoreCase(raw.scheme, "Payment")) {
      reason = raw.scheme.empty() ? raw.error : "not a Payment challenge";
    } else if (auto challenge = ToPaymentChallenge(raw, reason)) {
      out.challenges.push_back(std::move(*challenge));
      continue;
    }
    if (out.rejected.size() >= kMaxRejectedReported) {
      ++out.more_rejected;
      continue;
    }
    out.rejected.push_back({DisplayText(raw.scheme, 40), DisplayedId(raw), std::move(reason)});
  }
}

}  // namespace

ChallengeList ParseChallenges(std::span<const std::string_view> header_values) {
  ChallengeList out;
  for (std::string_view value : header_values) AddLine(value, out);
  return out;
}

ChallengeList ParseChallenges(std::string_view header_value) {
  return ParseChallenges(std::span<const std::string_view>(&header_value, 1));
}

}  // namespace mpp::protocol
