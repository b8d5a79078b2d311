#include "tempo/escrow_transaction.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "tempo/escrow_abi.h"
#include "util/random.h"

namespace mpp::tempo {
namespace {

Error RefuseEscrowTx(const std::string& what) {
  return MakeError(ErrorKind::kPaymentRefusedLocally, "escrow transaction: " + what);
}

TempoTransaction EscrowTransaction(Call call, const EscrowTxSettings& settings,
                                   const crypto::Address& default_fee_token) {
  TempoTransaction tx;
  tx.chain_id = settings.chain_id;
  tx.gas_limit = settings.gas_limit;
  tx.max_fee_per_gas = settings.max_fee_per_gas;
  tx.max_priority_fee_per_gas = settings.max_priority_fee_per_gas;
  tx.calls.push_back(std::move(call));
  tx.nonce_key = ExpiringNonceKey();
  tx.nonce = 0;
  tx.valid_before = settings.valid_before;
  tx.valid_after = settings.valid_after;
  if (settings.sponsored) {
    tx.fee_payer_requested = true;
  } else {
    tx.fee_token = settings.fee_token.value_or(default_fee_token);
  }
  return tx;
}

SignedEscrowTransaction Sign(TempoTransaction tx, const crypto::Address& sender,
                             const crypto::PrivateKey& key) {
  SignAsSender(tx, key);
  SignedEscrowTransaction out;
  if (tx.IsSponsored()) {
    out.credential_bytes = FeePayerEnvelope0x78(tx, sender);
  } else {
    out.credential_bytes = SignedRaw(tx);
    out.tx_hash = TxHash(out.credential_bytes);
  }
  out.tx = std::move(tx);
  return out;
}

// A payer's own escrow call (requestClose, withdraw): self-paid, signed by the channel's payer.
Result<SignedEscrowTransaction> SignPayerCall(std::string_view what, Bytes calldata,
                                              const ChannelDescriptor& descriptor,
                                              const crypto::Address& escrow, const EscrowTxSettings& settings,
                                              const crypto::PrivateKey& payer_key) {
  if (settings.sponsored) {
    return RefuseEscrowTx(std::string(what) + " is broadcast by mpp itself; no fee payer can sponsor it");
  }
  const crypto::Address payer = crypto::Address::FromPublicKey(payer_key.GetPublicKey());
  if (payer != descriptor.payer)
    return RefuseEscrowTx("only the channel's payer can send " + std::string(what));
  TempoTransaction tx = EscrowTransaction({escrow, U256(0), std::move(calldata)}, settings, descriptor.token);
  return Sign(std::move(tx), payer, payer_key);
}

}  // namespace

Hash32 RandomSalt() {
  Bytes bytes = RandomBytes(32);
  Hash32 salt{};
  std::copy(bytes.begin(), bytes.end(), salt.begin());
  return salt;
}

std::uint64_t RandomPastValidAfter(std::int64_t now) {
  const std::int64_t latest = now - 60;
  if (latest <= 0) return 0;
  Bytes bytes = RandomBytes(8);
  std::uint64_t random = 0;
  for (std::uint8_t b : bytes) random = (random << 8) | b;
  // The modulo bias over 2^64 is below 2^-30 for any plausible `now`.
  return random % static_cast<std::uint64_t>(latest);
}

void SetExpiringWindow(EscrowTxSettings& settings, std::int64_t now) {
  settings.valid_before = static_cast<std::uint64_t>(now + kEscrowTxValiditySeconds);
  settings.valid_after = RandomPastValidAfter(now);
}

Result<SignedOpen> SignOpenTransaction(const OpenTerms& terms, const EscrowTxSettings& settings,
                                       const crypto::PrivateKey& payer_key) {
  if (terms.deposit.IsZero()) return RefuseEscrowTx("the deposit of an open must be greater than zero");
  if (!FitsUint96(terms.deposit)) return RefuseEscrowTx("the deposit is above the escrow's uint96 limit");
  const crypto::Address payer = crypto::Address::FromPublicKey(payer_key.GetPublicKey());
  OpenArguments arguments{terms.payee, terms.operator_address, terms.token, terms.deposit, terms.salt, payer};
  TempoTransaction tx =
      EscrowTransaction({terms.escrow, U256(0), OpenCalldata(arguments)}, settings, terms.token);

  SignedOpen out;
  out.descriptor = ChannelDescriptor{payer,      terms.payee, terms.operator_address,      terms.token,
                                     terms.salt, payer,       ExpiringNonceHash(tx, payer)};
  out.channel_id = ChannelId(out.descriptor, terms.escrow, settings.chain_id);
  out.transaction = Sign(std::move(tx), payer, payer_key);
  return out;
}

Result<SignedEscrowTransaction> SignTopUpTransaction(const ChannelDescriptor& descriptor,
                                                     const U256& additional_deposit,
                                                     const crypto::Address& escrow,
                                                     const EscrowTxSettings& settings,
                                                     const crypto::PrivateKey& payer_key) {
  if (additional_deposit.IsZero()) return RefuseEscrowTx("a top-up must add more than zero");
  if (!FitsUint96(additional_deposit)) return RefuseEscrowTx("the top-up is above the escrow's uint96 limit");
  const crypto::Address payer = crypto::Address::FromPublicKey(payer_key.GetPublicKey());
  if (payer != descriptor.payer) return RefuseEscrowTx("only the channel's payer can top it up");
  TempoTransaction tx = EscrowTransaction({escrow, U256(0), TopUpCalldata(descriptor, additional_deposit)},
                                          settings, descriptor.token);
  return Sign(std::move(tx), payer, payer_key);
}

Result<SignedEscrowTransaction> SignRequestCloseTransaction(const ChannelDescriptor& descriptor,
                                                            const crypto::Address& escrow,
                                                            const EscrowTxSettings& settings,
                                                            const crypto::PrivateKey& payer_key) {
  return SignPayerCall("requestClose", RequestCloseCalldata(descriptor), descriptor, escrow, settings,
                       payer_key);
}

Result<SignedEscrowTransaction> SignWithdrawTransaction(const ChannelDescriptor& descriptor,
                                                        const crypto::Address& escrow,
                                                        const EscrowTxSettings& settings,
                                                        const crypto::PrivateKey& payer_key) {
  return SignPayerCall("withdraw", WithdrawCalldata(descriptor), descriptor, escrow, settings, payer_key);
}

}  // namespace mpp::tempo
