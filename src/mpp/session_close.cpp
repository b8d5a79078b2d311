#include "mpp/session_close.h"

#include <string_view>

#include "mpp/charge_request.h"
#include "mpp/credential.h"
#include "mpp/problem.h"
#include "mpp/session_credential.h"
#include "mpp/session_request.h"
#include "tempo/proof.h"
#include "tempo/voucher.h"
#include "util/hex.h"
#include "util/message.h"
#include "util/secret.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

std::string CloseChannelText(const Hash32& channel_id) {
  return ToHex(ByteView(channel_id.data(), channel_id.size()));
}

// "HTTP 410: the channel is finalized (server: ...)": the status and what the problem body says.
std::string CloseRefusalText(const net::HttpResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (auto problem = ParseProblemDetails(response.body)) text += ": " + DescribeProblem(*problem);
  return text;
}

Result<net::HttpResponse> SendToEndpoint(net::HttpTransport& transport, net::HttpRequest request,
                                         std::string_view what) {
  auto answer = transport.Perform(request, nullptr, nullptr);
  for (auto& header : request.headers) Wipe(header.value);
  if (!answer) {
    if (answer.error().kind == ErrorKind::kInterrupted) return answer.error();
    return MakeError(ErrorKind::kNetwork, std::string(what) + " failed (" + answer.error().message + ")");
  }
  return answer;
}

// The close credential for `challenge`, posted to the endpoint with no body.
Result<net::HttpResponse> PostClose(const StoredChannel& channel, const Challenge& challenge,
                                    const tempo::VoucherSignature& signature, net::HttpTransport& transport) {
  SessionPayload payload =
      ClosePayload(channel.descriptor, channel.channel_id, channel.cumulative, signature);
  auto credential =
      BuildSessionCredential(challenge, payload, tempo::DidPkh(channel.scope.chain_id, channel.scope.payer));
  if (!credential) return credential.error();
  net::HttpRequest post{
      "POST", ManagementEndpoint(channel.endpoint), {{CredentialHeaderName(challenge), *credential}}, ""};
  post.send_once = true;
  Wipe(*credential);
  return SendToEndpoint(transport, std::move(post), "sending the close to " + DisplayText(channel.endpoint));
}

}  // namespace

std::string ManagementEndpoint(const std::string& endpoint) {
  return endpoint.substr(0, endpoint.find_first_of("?#"));
}

std::optional<Challenge> SessionChallengeFor(const net::HttpResponse& response,
                                             const StoredChannel& channel) {
  for (const auto& c : ParseChallenges(response.HeaderValues("WWW-Authenticate")).challenges) {
    if (c.method != "tempo" || c.intent != "session") continue;
    if (!channel.realm.empty() && c.realm != channel.realm) continue;
    auto r = DecodeSessionRequest(c.request);
    if (!r || !CheckSessionOffer(*r, channel.scope.escrow)) continue;
    if (r->recipient == channel.scope.payee && r->currency == channel.scope.token &&
        r->chain_id.value_or(kDefaultChargeChainId) == channel.scope.chain_id)
      return c;
  }
  return std::nullopt;
}

Result<ServerClose> CloseCooperatively(const StoredChannel& channel, const crypto::PrivateKey& key,
                                       net::HttpTransport& transport) {
  const std::string id = CloseChannelText(channel.channel_id);
  if (channel.endpoint.empty()) {
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     "channel " + id +
                         " has no endpoint to close it at (it was recovered from the "
                         "chain); use 'mpp wallet channels close --force " +
                         id + "'");
  }
  if (crypto::Address::FromPublicKey(key.GetPublicKey()) != channel.descriptor.VoucherSigner()) {
    return MakeError(ErrorKind::kWallet, "the wallet's key does not sign vouchers for channel " + id +
                                             " (its signer is " +
                                             channel.descriptor.VoucherSigner().ToChecksumHex() +
                                             "); choose that wallet with --wallet");
  }
  if (!tempo::FitsUint96(channel.cumulative)) {
    return MakeError(ErrorKind::kWallet, "the record of channel " + id + " holds a cumulative above uint96");
  }
  const std::string where = DisplayText(ManagementEndpoint(channel.endpoint));
  const std::string force = "; 'mpp wallet channels close --force " + id + "' closes it without the service";
  auto probe = SendToEndpoint(transport, {"POST", ManagementEndpoint(channel.endpoint), {}, ""},
                              "asking " + where + " for a challenge");
  if (!probe) {
    if (probe.error().kind != ErrorKind::kNetwork) return probe.error();
    return MakeError(ErrorKind::kNetwork, probe.error().message + force);
  }
  if (probe->status != 402) {
    return MakeError(ErrorKind::kNetwork, where + " answered HTTP " + std::to_string(probe->status) +
                                              " instead of a payment challenge" + force);
  }
  std::optional<Challenge> challenge = SessionChallengeFor(*probe, channel);
  if (!challenge) {
    return MakeError(ErrorKind::kPaymentRefusedByServer,
                     where + " offers no session on this channel's payee, token, escrow and chain" + force);
  }
  const tempo::VoucherSignature signature = tempo::SignVoucher(
      key, channel.scope.chain_id, channel.scope.escrow, channel.channel_id, channel.cumulative);
  for (int attempt = 1;; ++attempt) {
    auto answer = PostClose(channel, *challenge, signature, transport);
    if (!answer) {
      if (answer.error().kind != ErrorKind::kNetwork) return answer.error();
      return MakeError(ErrorKind::kNetwork,
                       answer.error().message +
                           "; the close may have gone through: run the close again to see "
                           "what the chain says");
    }
    if (answer->status >= 200 && answer->status < 300) {
      ServerClose out;
      if (auto header = answer->FirstHeader("Payment-Receipt")) {
        auto receipt = ParseSessionReceiptHeader(*header);
        Status checked =
            receipt ? CheckSessionReceipt(*receipt, channel.channel_id, challenge->id, channel.cumulative)
                    : Status(receipt.error());
        if (checked) {
          out.receipt = std::move(*receipt);
        } else {
          out.receipt_problem = checked.error().message;
        }
      }
      return out;
    }
    std::optional<Challenge> fresh;
    if (answer->status == 402 && attempt == 1) fresh = SessionChallengeFor(*answer, channel);
    if (!fresh) {
      return MakeError(ErrorKind::kPaymentRefusedByServer, where + " refused to close channel " + id + " (" +
                                                               CloseRefusalText(*answer) + ")" + force);
    }
    msg::Verbose("the close's challenge was refused; sending it again with the fresh one");
    challenge = std::move(fresh);
  }
}

}  // namespace mpp::protocol
