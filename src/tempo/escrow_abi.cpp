#include "tempo/escrow_abi.h"

#include <algorithm>
#include <array>

namespace mpp::tempo {
namespace {

constexpr std::size_t kAbiWord = 32;

Bytes StartCall(const Selector& selector) { return Bytes(selector.begin(), selector.end()); }

void AppendUintWord(Bytes& out, const U256& value) { Append(out, value.ToBigEndian32()); }

void AppendDescriptor(Bytes& out, const ChannelDescriptor& d) {
  AppendAddressWord(out, d.payer);
  AppendAddressWord(out, d.payee);
  AppendAddressWord(out, d.operator_address);
  AppendAddressWord(out, d.token);
  Append(out, d.salt);
  AppendAddressWord(out, d.authorized_signer);
  Append(out, d.expiring_nonce_hash);
}

// ABI `bytes` in the tail: length word, then the data right-padded to whole words.
void AppendBytesTail(Bytes& out, ByteView data) {
  AppendUintWord(out, U256(data.size()));
  Append(out, data);
  out.insert(out.end(), (kAbiWord - data.size() % kAbiWord) % kAbiWord, 0);
}

// Reads fixed 32-byte words from `data`; each accessor refuses a dirty or oversized word.
class WordReader {
 public:
  explicit WordReader(ByteView data) : data_(data) {}
  ByteView Word(std::size_t i) const { return data_.subspan(i * kAbiWord, kAbiWord); }

  std::optional<crypto::Address> AddressAt(std::size_t i) const {
    ByteView w = Word(i);
    if (std::any_of(w.begin(), w.begin() + 12, [](std::uint8_t b) { return b != 0; })) return std::nullopt;
    crypto::Address out;
    std::copy(w.begin() + 12, w.end(), out.bytes.begin());
    return out;
  }
  Hash32 HashAt(std::size_t i) const {
    Hash32 out{};
    ByteView w = Word(i);
    std::copy(w.begin(), w.end(), out.begin());
    return out;
  }
  std::optional<U256> Uint96At(std::size_t i) const {
    U256 value = *U256::FromBigEndian(Word(i));
    if (!FitsUint96(value)) return std::nullopt;
    return value;
  }
  std::optional<std::uint64_t> Uint64At(std::size_t i) const {
    U256 value = *U256::FromBigEndian(Word(i));
    if (!value.FitsUint64()) return std::nullopt;
    return value.Low64();
  }

 private:
  ByteView data_;
};

std::optional<ChannelDescriptor> ReadDescriptor(const WordReader& words, std::size_t first) {
  ChannelDescriptor d;
  auto payer = words.AddressAt(first);
  auto payee = words.AddressAt(first + 1);
  auto operator_address = words.AddressAt(first + 2);
  auto token = words.AddressAt(first + 3);
  auto signer = words.AddressAt(first + 5);
  if (!payer || !payee || !operator_address || !token || !signer) return std::nullopt;
  d.payer = *payer;
  d.payee = *payee;
  d.operator_address = *operator_address;
  d.token = *token;
  d.salt = words.HashAt(first + 4);
  d.authorized_signer = *signer;
  d.expiring_nonce_hash = words.HashAt(first + 6);
  return d;
}

std::optional<ChannelState> ReadState(const WordReader& words, std::size_t first) {
  auto settled = words.Uint96At(first);
  auto deposit = words.Uint96At(first + 1);
  auto close_requested_at = words.Uint64At(first + 2);
  if (!settled || !deposit || !close_requested_at) return std::nullopt;
  return ChannelState{*settled, *deposit, *close_requested_at};
}

Error BadReturn(std::string_view view, std::string_view what) {
  return MakeError(ErrorKind::kNetwork, "escrow " + std::string(view) + " returned " + std::string(what));
}

struct EscrowError {
  Selector selector;
  std::string_view name;
};

// The escrow's argument-less custom errors (SESSION.md 11.1), keccak256("Name()")[0..4].
constexpr std::array<EscrowError, 14> kEscrowErrors{{
    {{0x0e, 0xc0, 0xf1, 0x49}, "ChannelAlreadyExists"},
    {{0x1e, 0x07, 0xdd, 0x94}, "ChannelNotFound"},
    {{0x14, 0x35, 0xe3, 0x57}, "NotPayer"},
    {{0x62, 0x6a, 0x2a, 0x3d}, "NotPayeeOrOperator"},
    {{0xb3, 0x87, 0xa2, 0x38}, "InvalidPayee"},
    {{0xc1, 0xab, 0x6d, 0xc1}, "InvalidToken"},
    {{0x56, 0x31, 0x6e, 0x87}, "ZeroDeposit"},
    {{0x10, 0x2f, 0x04, 0xa9}, "ExpiringNonceHashNotSet"},
    {{0x8b, 0xaa, 0x57, 0x9f}, "InvalidSignature"},
    {{0xbd, 0x0d, 0x71, 0x38}, "AmountExceedsDeposit"},
    {{0x32, 0xd2, 0xc1, 0xa3}, "AmountNotIncreasing"},
    {{0xc9, 0x18, 0x33, 0xa1}, "CaptureAmountInvalid"},
    {{0x02, 0xb8, 0x1e, 0x29}, "CloseNotReady"},
    {{0x11, 0x32, 0x98, 0x1b}, "DepositOverflow"},
}};

}  // namespace

Bytes OpenCalldata(const OpenArguments& a) {
  Bytes out = StartCall(kEscrowOpenSelector);
  AppendAddressWord(out, a.payee);
  AppendAddressWord(out, a.operator_address);
  AppendAddressWord(out, a.token);
  AppendUintWord(out, a.deposit);
  Append(out, a.salt);
  AppendAddressWord(out, a.authorized_signer);
  return out;
}

Bytes TopUpCalldata(const ChannelDescriptor& descriptor, const U256& additional_deposit) {
  Bytes out = StartCall(kEscrowTopUpSelector);
  AppendDescriptor(out, descriptor);
  AppendUintWord(out, additional_deposit);
  return out;
}

Bytes SettleCalldata(const ChannelDescriptor& descriptor, const U256& cumulative_amount, ByteView signature) {
  Bytes out = StartCall(kEscrowSettleSelector);
  AppendDescriptor(out, descriptor);
  AppendUintWord(out, cumulative_amount);
  AppendUintWord(out, U256(9 * kAbiWord));  // offset of the bytes: after 7 + 2 head words
  AppendBytesTail(out, signature);
  return out;
}

Bytes CloseCalldata(const ChannelDescriptor& descriptor, const U256& cumulative_amount,
                    const U256& capture_amount, ByteView signature) {
  Bytes out = StartCall(kEscrowCloseSelector);
  AppendDescriptor(out, descriptor);
  AppendUintWord(out, cumulative_amount);
  AppendUintWord(out, capture_amount);
  AppendUintWord(out, U256(10 * kAbiWord));  // after 7 + 3 head words
  AppendBytesTail(out, signature);
  return out;
}

Bytes RequestCloseCalldata(const ChannelDescriptor& descriptor) {
  Bytes out = StartCall(kEscrowRequestCloseSelector);
  AppendDescriptor(out, descriptor);
  return out;
}

Bytes WithdrawCalldata(const ChannelDescriptor& descriptor) {
  Bytes out = StartCall(kEscrowWithdrawSelector);
  AppendDescriptor(out, descriptor);
  return out;
}

Bytes GetChannelCalldata(const ChannelDescriptor& descriptor) {
  Bytes out = StartCall(kEscrowGetChannelSelector);
  AppendDescriptor(out, descriptor);
  return out;
}

Bytes GetChannelStateCalldata(const Hash32& channel_id) {
  Bytes out = StartCall(kEscrowGetChannelStateSelector);
  Append(out, channel_id);
  return out;
}

Bytes CloseGracePeriodCalldata() { return StartCall(kEscrowCloseGracePeriodSelector); }

std::optional<OpenArguments> DecodeOpenCalldata(ByteView calldata) {
  if (calldata.size() != 4 + 6 * kAbiWord) return std::nullopt;
  if (!std::equal(kEscrowOpenSelector.begin(), kEscrowOpenSelector.end(), calldata.begin()))
    return std::nullopt;
  WordReader words(calldata.subspan(4));
  auto payee = words.AddressAt(0);
  auto operator_address = words.AddressAt(1);
  auto token = words.AddressAt(2);
  auto deposit = words.Uint96At(3);
  auto signer = words.AddressAt(5);
  if (!payee || !operator_address || !token || !deposit || !signer) return std::nullopt;
  return OpenArguments{*payee, *operator_address, *token, *deposit, words.HashAt(4), *signer};
}

Result<ChannelState> DecodeChannelState(ByteView return_data) {
  if (return_data.size() != 3 * kAbiWord) return BadReturn("getChannelState", "a result that is not 3 words");
  auto state = ReadState(WordReader(return_data), 0);
  if (!state) return BadReturn("getChannelState", "an amount above uint96 or a bad timestamp");
  return *state;
}

Result<ChannelView> DecodeGetChannel(ByteView return_data) {
  if (return_data.size() != 10 * kAbiWord) return BadReturn("getChannel", "a result that is not 10 words");
  WordReader words(return_data);
  auto descriptor = ReadDescriptor(words, 0);
  if (!descriptor) return BadReturn("getChannel", "a descriptor with a malformed address");
  auto state = ReadState(words, 7);
  if (!state) return BadReturn("getChannel", "an amount above uint96 or a bad timestamp");
  return ChannelView{*descriptor, *state};
}

Result<std::uint64_t> DecodeCloseGracePeriod(ByteView return_data) {
  if (return_data.size() != kAbiWord) return BadReturn("CLOSE_GRACE_PERIOD", "a result that is not one word");
  auto value = U256::FromBigEndian(return_data);
  if (!value || !value->FitsUint64()) return BadReturn("CLOSE_GRACE_PERIOD", "a value above uint64");
  return value->Low64();
}

std::optional<std::string_view> EscrowErrorName(ByteView revert_data) {
  if (revert_data.size() < 4) return std::nullopt;
  for (const EscrowError& e : kEscrowErrors) {
    if (std::equal(e.selector.begin(), e.selector.end(), revert_data.begin())) return e.name;
  }
  return std::nullopt;
}

}  // namespace mpp::tempo
