// The four tempo/session credential payloads (open, topUp, voucher, close; SESSION.md 3) and the
// credential around them. Amounts are decimal strings, hashes lowercase hex, addresses EIP-55.
#pragma once

#include <string>
#include <string_view>

#include "mpp/challenge.h"
#include "tempo/channel.h"
#include "tempo/escrow_transaction.h"
#include "tempo/voucher.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::protocol {

enum class SessionAction { kOpen, kTopUp, kVoucher, kClose };

// One payload. Which fields matter depends on the action:
//   open:    channel_id, descriptor, transaction, cumulative_amount, signature
//   topUp:   channel_id, descriptor, transaction, additional_deposit
//   voucher, close: channel_id, descriptor, cumulative_amount, signature
struct SessionPayload {
  SessionAction action = SessionAction::kVoucher;
  Hash32 channel_id{};
  tempo::ChannelDescriptor descriptor;  // required by mppx 0.11 on every action
  U256 cumulative_amount;               // the total since the open, never a delta
  tempo::VoucherSignature signature{};  // the voucher over cumulative_amount
  Bytes transaction;                    // 0x76 signed transaction or 0x78 fee-payer hand-off
  U256 additional_deposit;
};

// open: the signed open and the voucher for the first cumulative amount (the request's price).
SessionPayload OpenPayload(const tempo::SignedOpen& open, const U256& cumulative_amount,
                           const tempo::VoucherSignature& signature);
SessionPayload TopUpPayload(const tempo::ChannelDescriptor& descriptor, const Hash32& channel_id,
                            const tempo::SignedEscrowTransaction& top_up, const U256& additional_deposit);
SessionPayload VoucherPayload(const tempo::ChannelDescriptor& descriptor, const Hash32& channel_id,
                              const U256& cumulative_amount, const tempo::VoucherSignature& signature);
SessionPayload ClosePayload(const tempo::ChannelDescriptor& descriptor, const Hash32& channel_id,
                            const U256& cumulative_amount, const tempo::VoucherSignature& signature);

// The payload as JSON, e.g. {"action":"voucher","channelId":"0x..","descriptor":{"payer":..,"payee":..,
// "operator":..,"token":..,"salt":..,"authorizedSigner":..,"expiringNonceHash":..},
// "cumulativeAmount":"2000","signature":"0x..65 bytes"}; open and topUp add "type":"transaction" and
// "transaction", open also "authorizedSigner", topUp "additionalDeposit" instead of the voucher.
std::string SessionPayloadJson(const SessionPayload& payload);

// The credential header value ("Payment <base64url(JSON)>") carrying `payload`, echoing `challenge`.
// Refuses (kUnexpected: a caller bug) an empty source (mppx checks it on vouchers; always send it),
// an amount above uint96, a zero top-up, and a transaction that is not 0x76/0x78 bytes where one is
// needed. The result is a bearer secret: never log it.
Result<std::string> BuildSessionCredential(const Challenge& challenge, const SessionPayload& payload,
                                           std::string_view source);

}  // namespace mpp::protocol
