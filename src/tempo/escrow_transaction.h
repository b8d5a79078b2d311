// The escrow transactions a session client signs: open (which also fixes the channel's descriptor and
// id) and topUp, which the server broadcasts (SESSION.md 3.4, 4.1), and the payer's own forced close,
// requestClose then withdraw, which mpp broadcasts itself (SESSION.md 9). Pure: randomness (salt,
// validAfter) comes in through the arguments; RandomSalt and SetExpiringWindow draw it.
#pragma once

#include <cstdint>
#include <optional>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "tempo/channel.h"
#include "tempo/transaction.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

// viem's maxExpirySecs: an escrow transaction is valid for 25 s (the chain allows at most 30).
inline constexpr std::int64_t kEscrowTxValiditySeconds = 25;

// Everything about an escrow transaction but its call.
struct EscrowTxSettings {
  std::uint64_t chain_id = 0;
  std::uint64_t gas_limit = 0;
  U256 max_fee_per_gas;
  U256 max_priority_fee_per_gas;
  std::uint64_t valid_before = 0;  // see SetExpiringWindow
  std::uint64_t valid_after = 0;   // a random past second, so identical payloads still differ
  // The server pays the fees (challenge feePayer true): the sender signs with the 0x00 marker and no
  // fee token, and the credential carries the 0x78 hand-off. fee_token is then ignored.
  bool sponsored = false;
  // Self-paid fee token; empty means the channel's token (what mppx does).
  std::optional<crypto::Address> fee_token;
};

// 32 fresh random bytes (util/random): every open needs its own salt.
Hash32 RandomSalt();
// A uniformly random second in [0, now - 61] (0 when now <= 60), as viem's randomValidAfter.
std::uint64_t RandomPastValidAfter(std::int64_t now);
// valid_before = now + kEscrowTxValiditySeconds, valid_after = RandomPastValidAfter(now).
void SetExpiringWindow(EscrowTxSettings& settings, std::int64_t now);

// What an open asks of the escrow; the payer is the signing key's address and signs vouchers itself
// (authorizedSigner = payer, as mppx sends it).
struct OpenTerms {
  crypto::Address escrow = kChannelEscrow;
  crypto::Address payee;             // the challenge's recipient
  crypto::Address operator_address;  // methodDetails.operator, else zero
  crypto::Address token;             // the challenge's currency
  U256 deposit;
  Hash32 salt{};
};

// A signed escrow transaction in the form the credential carries it.
struct SignedEscrowTransaction {
  TempoTransaction tx;            // with the sender signature
  Bytes credential_bytes;         // self-paid: the signed 0x76 transaction; sponsored: the 0x78 hand-off
  std::optional<Hash32> tx_hash;  // self-paid only: the hash the chain will report (a sponsor's
                                  // co-signature changes it)
};

struct SignedOpen {
  SignedEscrowTransaction transaction;
  ChannelDescriptor descriptor;  // expiring_nonce_hash derived from this very transaction
  Hash32 channel_id{};
};

// One call, open(payee, operator, token, deposit, salt, payer) to terms.escrow, on the expiring nonce
// (nonceKey 2^256-1, nonce 0) with the window and fees of `settings`; then the descriptor, channel id
// and sender signature. Refuses (kPaymentRefusedLocally) a zero deposit or one above uint96.
Result<SignedOpen> SignOpenTransaction(const OpenTerms& terms, const EscrowTxSettings& settings,
                                       const crypto::PrivateKey& payer_key);

// One call, topUp(descriptor, additional_deposit) to `escrow`, otherwise as SignOpenTransaction (the
// default fee token is descriptor.token). Refuses (kPaymentRefusedLocally) a zero amount (a no-op on
// chain that emits no TopUp, so the server would reject it), one above uint96, and a key that is not
// the descriptor's payer (the escrow reverts NotPayer).
Result<SignedEscrowTransaction> SignTopUpTransaction(const ChannelDescriptor& descriptor,
                                                     const U256& additional_deposit,
                                                     const crypto::Address& escrow,
                                                     const EscrowTxSettings& settings,
                                                     const crypto::PrivateKey& payer_key);

// One call, requestClose(descriptor) to `escrow`, otherwise as SignTopUpTransaction; always self-paid
// (no server is involved, so there is no fee payer: mpp broadcasts it). Refuses
// (kPaymentRefusedLocally) sponsored settings and a key that is not the descriptor's payer (NotPayer).
Result<SignedEscrowTransaction> SignRequestCloseTransaction(const ChannelDescriptor& descriptor,
                                                            const crypto::Address& escrow,
                                                            const EscrowTxSettings& settings,
                                                            const crypto::PrivateKey& payer_key);

// One call, withdraw(descriptor) to `escrow`, with the same rules as SignRequestCloseTransaction. The
// escrow reverts it (CloseNotReady) until the grace period after the close request is over.
Result<SignedEscrowTransaction> SignWithdrawTransaction(const ChannelDescriptor& descriptor,
                                                        const crypto::Address& escrow,
                                                        const EscrowTxSettings& settings,
                                                        const crypto::PrivateKey& payer_key);

}  // namespace mpp::tempo
