#include "tempo/tip20.h"

#include <algorithm>

namespace mpp::tempo {
namespace {

constexpr std::size_t kWord = 32;

Bytes WithSelector(const Selector& selector) { return Bytes(selector.begin(), selector.end()); }

}  // namespace

void AppendAddressWord(Bytes& out, const crypto::Address& address) {
  out.insert(out.end(), kWord - address.bytes.size(), 0);
  Append(out, address.bytes);
}

Bytes TransferCalldata(const crypto::Address& to, const U256& amount) {
  Bytes out = WithSelector(kTransferSelector);
  AppendAddressWord(out, to);
  Append(out, amount.ToBigEndian32());
  return out;
}

Bytes TransferWithMemoCalldata(const crypto::Address& to, const U256& amount, const Hash32& memo) {
  Bytes out = WithSelector(kTransferWithMemoSelector);
  AppendAddressWord(out, to);
  Append(out, amount.ToBigEndian32());
  Append(out, memo);
  return out;
}

Bytes BalanceOfCalldata(const crypto::Address& owner) {
  Bytes out = WithSelector(kBalanceOfSelector);
  AppendAddressWord(out, owner);
  return out;
}

Bytes DecimalsCalldata() { return WithSelector(kDecimalsSelector); }

std::optional<Tip20Transfer> DecodeTransferCalldata(ByteView calldata) {
  if (calldata.size() < 4) return std::nullopt;
  bool with_memo =
      std::equal(kTransferWithMemoSelector.begin(), kTransferWithMemoSelector.end(), calldata.begin());
  bool plain = std::equal(kTransferSelector.begin(), kTransferSelector.end(), calldata.begin());
  if (!with_memo && !plain) return std::nullopt;
  if (calldata.size() != 4 + kWord * (with_memo ? 3 : 2)) return std::nullopt;
  ByteView address_word = calldata.subspan(4, kWord);
  if (std::any_of(address_word.begin(), address_word.begin() + 12, [](std::uint8_t b) { return b != 0; })) {
    return std::nullopt;
  }
  Tip20Transfer out;
  std::copy(address_word.begin() + 12, address_word.end(), out.to.bytes.begin());
  out.amount = *U256::FromBigEndian(calldata.subspan(4 + kWord, kWord));
  if (with_memo) {
    Hash32 memo{};
    ByteView memo_word = calldata.subspan(4 + 2 * kWord, kWord);
    std::copy(memo_word.begin(), memo_word.end(), memo.begin());
    out.memo = memo;
  }
  return out;
}

std::optional<U256> DecodeUint256Word(ByteView word) {
  if (word.size() != kWord) return std::nullopt;
  return U256::FromBigEndian(word);
}

}  // namespace mpp::tempo
