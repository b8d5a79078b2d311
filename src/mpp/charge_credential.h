// The tempo/charge credential payload: a signed transaction, the hash of one the client broadcast,
// or a proof, inside the envelope every intent shares (mpp/credential.h).
#pragma once

#include <string>
#include <string_view>

#include "mpp/challenge.h"
#include "util/error.h"

namespace mpp::protocol {

// The credential's `payload` for tempo/charge.
struct ChargePayload {
  enum class Type {
    kTransaction,  // pull: a signed 0x76 transaction, or the 0x78 fee-payer hand-off envelope
    kHash,         // push: the 32-byte hash of a transaction the client broadcast itself
    kProof,        // zero amount: a 65-byte EIP-712 proof signature
  };
  Type type = Type::kTransaction;
  std::string hex;  // "0x"-prefixed: the signed bytes, the hash or the signature
};

// The credential header value (BuildCredentialEnvelope) with the charge payload
// {"type":"transaction","signature":hex}, {"type":"hash","hash":hex} or {"type":"proof","signature":hex}.
// `source` is left out when empty. Refuses (kUnexpected: a caller bug) a payload whose hex does not fit
// its type (transaction: 0x76/0x78 bytes; hash: 32 bytes; proof: 65 bytes) and a proof without a
// source. The result is a bearer secret: never log it.
Result<std::string> BuildChargeCredential(const Challenge& challenge, const ChargePayload& payload,
                                          std::string_view source);

}  // namespace mpp::protocol
