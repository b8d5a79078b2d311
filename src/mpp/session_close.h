// The cooperative close of a payment channel (SESSION.md 3.5, 9): the payee sends close(descriptor, C,
// capture) from its own account, paying what it charged to itself and the rest of the deposit back to
// the payer, in one transaction. mpp asks the channel's endpoint for a fresh tempo/session challenge
// and answers it with the close credential in a management POST.
#pragma once

#include <optional>
#include <string>

#include "crypto/secp256k1.h"
#include "mpp/challenge.h"
#include "mpp/channel_book.h"
#include "mpp/session_receipt.h"
#include "net/http.h"
#include "util/error.h"

namespace mpp::protocol {

// What the server answered to a close it accepted.
struct ServerClose {
  std::optional<SessionReceipt> receipt;  // its Payment-Receipt, when it sent one that passed the check
  std::string receipt_problem;            // why a receipt it sent is not trusted; empty otherwise
};

// Where management POSTs and the close go (SESSION.md 6.4): `endpoint` without query or fragment.
std::string ManagementEndpoint(const std::string& endpoint);

// The first challenge in `response` that offers a v2 session on `channel`'s scope: method tempo,
// intent session, `channel.realm` (when the record has one), recipient = payee, currency = token,
// escrow and chain the scope's. nullopt when there is none.
std::optional<Challenge> SessionChallengeFor(const net::HttpResponse& response, const StoredChannel& channel);

// Closes `channel` cooperatively over `transport`: a body-less POST to its endpoint for a 402 and a
// challenge for it (SessionChallengeFor), then the close credential (ClosePayload at
// channel.cumulative, the voucher signed with `key`, source the payer's DID) as a management POST
// echoing that challenge, sent once; a 402 is retried once with the fresh challenge it brings. Ok on a
// 2xx. Errors: kPaymentRefusedLocally for a record without an endpoint (use the forced close); kWallet
// when `key` is not the channel's voucher signer; kNetwork when the endpoint does not answer or its first
// answer is not a 402; kPaymentRefusedByServer when it offers no challenge for this channel or refuses the
// close (saying its status and problem, display-safe). Never logs the credential.
Result<ServerClose> CloseCooperatively(const StoredChannel& channel, const crypto::PrivateKey& key,
                                       net::HttpTransport& transport);

}  // namespace mpp::protocol
