// The Payment credential: what goes in Authorization (or the header a challenge names) on the retry:
// the envelope every intent shares.
#pragma once

#include <string>
#include <string_view>

#include "mpp/challenge.h"
#include "util/error.h"

namespace mpp::protocol {

// The header the credential goes in: the challenge's `header` param when it has one, else
// "Authorization".
std::string CredentialHeaderName(const Challenge& challenge);

// The credential header value, "Payment <base64url(JSON)>", with JSON
// {"challenge":{id,realm,method,intent,request[,description][,digest][,expires][,header][,opaque]},
//  "payload":<payload_json>,"source":...}, for every intent (each serializes its own payload:
// mpp/charge_credential.h, mpp/session_credential.h). The challenge fields echo the exact strings
// received (opaque stays the received base64url string, as mppx 0.11 and the spec expect; header is
// echoed because mppx binds it into the challenge id); `payload_json` is written verbatim; `source` is
// left out when empty. Refuses (kUnexpected: a caller bug) a payload that is not one JSON object and a
// field that is not valid UTF-8. The result is a bearer secret: never log it.
Result<std::string> BuildCredentialEnvelope(const Challenge& challenge, std::string_view payload_json,
                                            std::string_view source);

}  // namespace mpp::protocol
