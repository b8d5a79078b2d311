// The Payment credential: what goes in Authorization (or the header a challenge names) on the retry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "mpp/challenge.h"
#include "util/error.h"

namespace mpp::protocol {

// The credential's `payload` for tempo/charge.
struct CredentialPayload {
  enum class Type {
    kTransaction,  // pull: a signed 0x76 transaction, or the 0x78 fee-payer hand-off envelope
    kHash,         // push: the 32-byte hash of a transaction the client broadcast itself
    kProof,        // zero amount: a 65-byte EIP-712 proof signature
  };
  Type type = Type::kTransaction;
  std::string hex;  // "0x"-prefixed: the signed bytes, the hash or the signature
};

// The header the credential goes in: the challenge's `header` param when it has one, else
// "Authorization".
std::string CredentialHeaderName(const Challenge& challenge);

// The credential header value, "Payment <base64url(JSON)>", with JSON
// {"challenge":{id,realm,method,intent,request[,description][,digest][,expires][,header][,opaque]},
//  "payload":{...},"source":...}. The challenge fields echo the exact strings received (opaque stays the
// received base64url string, as mppx 0.11 and the spec expect; header is echoed because mppx binds it
// into the challenge id). `source` is left out when empty. Refuses (kUnexpected: a caller bug) a
// payload whose hex does not fit its type (transaction: 0x76/0x78 bytes; hash: 32 bytes; proof:
// 65 bytes) and a proof without a source. The result is a bearer secret: never log it.
Result<std::string> BuildCredential(const Challenge& challenge, const CredentialPayload& payload,
                                    std::string_view source);

// The same envelope around a payload serialized by the caller (the session intent's payloads):
// `payload_json` is written verbatim as the "payload" member. Refuses (kUnexpected: a caller bug) a
// payload that is not one JSON object and a field that is not valid UTF-8. Never log the result.
Result<std::string> BuildCredentialEnvelope(const Challenge& challenge, std::string_view payload_json,
                                            std::string_view source);

}  // namespace mpp::protocol
