// DecodeSignedTransaction on any bytes. What it accepts must re-encode to a transaction that decodes
// to the same value and signers (the input itself, but for a v of 0/1 written back as 27/28).
#include "fuzz_check.h"
#include "tempo/transaction.h"

namespace {

using mpp::tempo::DecodedTransaction;

mpp::Bytes Reencode(const DecodedTransaction& decoded) {
  return decoded.is_fee_payer_envelope ? mpp::tempo::FeePayerEnvelope0x78(decoded.tx, decoded.sender)
                                       : mpp::tempo::SignedRaw(decoded.tx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mpp::ByteView raw = mpp::fuzz::AsByteView(data, size);
  auto decoded = mpp::tempo::DecodeSignedTransaction(raw);
  if (!decoded) {
    FUZZ_CHECK(decoded.error().kind == mpp::ErrorKind::kUsage);
    return 0;
  }
  FUZZ_CHECK(decoded->hash == mpp::tempo::TxHash(raw));
  FUZZ_CHECK(!decoded->tx.calls.empty());
  FUZZ_CHECK(decoded->tx.sender_signature.has_value());
  FUZZ_CHECK(decoded->fee_payer.has_value() == decoded->tx.fee_payer_signature.has_value());

  const mpp::Bytes again = Reencode(*decoded);
  auto redecoded = mpp::tempo::DecodeSignedTransaction(again);
  FUZZ_CHECK(redecoded.ok());
  FUZZ_CHECK(redecoded->tx == decoded->tx);
  FUZZ_CHECK(redecoded->sender == decoded->sender);
  FUZZ_CHECK(redecoded->fee_payer == decoded->fee_payer);
  FUZZ_CHECK(redecoded->is_fee_payer_envelope == decoded->is_fee_payer_envelope);
  FUZZ_CHECK(Reencode(*redecoded) == again);
  FUZZ_CHECK(again.size() == raw.size());  // 0/1 -> 27/28 keeps every length

  // The hashes a payer or sponsor would compute from a decoded transaction.
  (void)mpp::tempo::SenderSigningHash(decoded->tx);
  (void)mpp::tempo::FeePayerSigningHash(decoded->tx, decoded->sender);
  return 0;
}
