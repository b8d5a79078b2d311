#include "tempo/rlp.h"

#include <string>

namespace mpp::tempo {
namespace {

// Appends a header for a payload of `size` bytes; `offset` is 0x80 for strings, 0xc0 for lists.
void AppendHeader(Bytes& out, std::size_t size, std::uint8_t offset) {
  if (size < 56) {
    out.push_back(static_cast<std::uint8_t>(offset + size));
    return;
  }
  Bytes length = U256(static_cast<std::uint64_t>(size)).ToBigEndianMinimal();
  out.push_back(static_cast<std::uint8_t>(offset + 55 + length.size()));
  Append(out, length);
}

Error Malformed(std::string what) { return MakeError(ErrorKind::kUsage, "malformed RLP: " + what); }

class Decoder {
 public:
  explicit Decoder(ByteView data) : data_(data) {}

  // Decodes the item starting at `pos`, which must end at or before `end`; advances `pos`.
  Result<RlpItem> Item(std::size_t& pos, std::size_t end, std::size_t depth) {
    if (pos >= end) return Malformed("truncated input at byte " + std::to_string(pos));
    std::size_t start = pos;
    std::uint8_t prefix = data_[pos++];
    RlpItem item;
    if (prefix < 0x80) {
      item.bytes.push_back(prefix);
    } else {
      bool is_list = prefix >= 0xc0;
      std::uint8_t offset = is_list ? 0xc0 : 0x80;
      std::size_t size = 0;
      if (prefix - offset < 56) {
        size = static_cast<std::size_t>(prefix - offset);
      } else {
        auto long_size = LongLength(pos, end, static_cast<std::size_t>(prefix - offset - 55));
        if (!long_size.ok()) return long_size.error();
        size = *long_size;
      }
      if (size > end - pos)
        return Malformed("length at byte " + std::to_string(start) + " runs past the end");
      std::size_t payload_end = pos + size;
      if (is_list) {
        if (depth >= kMaxRlpDepth)
          return Malformed("lists nested deeper than " + std::to_string(kMaxRlpDepth));
        item.is_list = true;
        while (pos < payload_end) {
          auto child = Item(pos, payload_end, depth + 1);
          if (!child.ok()) return child.error();
          item.items.push_back(std::move(child).value());
        }
      } else {
        if (size == 1 && data_[pos] < 0x80) {
          return Malformed("single byte below 0x80 with a length prefix at byte " + std::to_string(start));
        }
        item.bytes.assign(data_.begin() + static_cast<std::ptrdiff_t>(pos),
                          data_.begin() + static_cast<std::ptrdiff_t>(payload_end));
        pos = payload_end;
      }
    }
    item.encoded.assign(data_.begin() + static_cast<std::ptrdiff_t>(start),
                        data_.begin() + static_cast<std::ptrdiff_t>(pos));
    return item;
  }

 private:
  // Reads a big-endian length of `count` bytes: no leading zero, at least 56 (else the short
  // form was required), and small enough to be checked against the input.
  Result<std::size_t> LongLength(std::size_t& pos, std::size_t end, std::size_t count) {
    if (count > end - pos) return Malformed("truncated length at byte " + std::to_string(pos));
    if (count > sizeof(std::uint32_t)) return Malformed("length of " + std::to_string(count) + " bytes");
    if (data_[pos] == 0) return Malformed("length with a leading zero at byte " + std::to_string(pos));
    std::size_t size = 0;
    for (std::size_t i = 0; i < count; ++i) size = size << 8 | data_[pos++];
    if (size < 56) return Malformed("long form used for a length below 56 at byte " + std::to_string(pos));
    return size;
  }

  ByteView data_;
};

}  // namespace

Bytes RlpEncodeBytes(ByteView bytes) {
  Bytes out;
  if (bytes.size() == 1 && bytes[0] < 0x80) {
    out.push_back(bytes[0]);
    return out;
  }
  out.reserve(bytes.size() + 9);
  AppendHeader(out, bytes.size(), 0x80);
  Append(out, bytes);
  return out;
}

Bytes RlpEncodeUint(const U256& value) { return RlpEncodeBytes(value.ToBigEndianMinimal()); }

Bytes RlpWrapList(ByteView payload) {
  Bytes out;
  out.reserve(payload.size() + 9);
  AppendHeader(out, payload.size(), 0xc0);
  Append(out, payload);
  return out;
}

RlpList& RlpList::AddBytes(ByteView bytes) {
  Append(payload_, RlpEncodeBytes(bytes));
  return *this;
}

RlpList& RlpList::AddUint(const U256& value) {
  Append(payload_, RlpEncodeUint(value));
  return *this;
}

RlpList& RlpList::AddRaw(ByteView encoded_item) {
  Append(payload_, encoded_item);
  return *this;
}

RlpList& RlpList::AddList(const RlpList& list) {
  Append(payload_, list.Encode());
  return *this;
}

Bytes RlpList::Encode() const { return RlpWrapList(payload_); }

Result<U256> RlpItem::AsUint(std::string_view field) const {
  std::string name(field);
  if (is_list) return MakeError(ErrorKind::kUsage, name + ": expected an integer, found a list");
  if (bytes.size() > 32) return MakeError(ErrorKind::kUsage, name + ": integer wider than 256 bits");
  if (!bytes.empty() && bytes[0] == 0) {
    return MakeError(ErrorKind::kUsage, name + ": integer with a leading zero byte");
  }
  return *U256::FromBigEndian(bytes);
}

Result<std::uint64_t> RlpItem::AsUint64(std::string_view field) const {
  auto value = AsUint(field);
  if (!value.ok()) return value.error();
  if (!value->FitsUint64())
    return MakeError(ErrorKind::kUsage, std::string(field) + ": integer above 2^64-1");
  return value->Low64();
}

Result<Bytes> RlpItem::AsFixedBytes(std::string_view field, std::size_t size) const {
  if (is_list || bytes.size() != size) {
    return MakeError(ErrorKind::kUsage,
                     std::string(field) + ": expected a string of " + std::to_string(size) + " bytes");
  }
  return bytes;
}

Result<RlpItem> RlpDecode(ByteView data) {
  Decoder decoder(data);
  std::size_t pos = 0;
  auto item = decoder.Item(pos, data.size(), 0);
  if (!item.ok()) return item;
  if (pos != data.size()) {
    return Malformed(std::to_string(data.size() - pos) + " trailing bytes after the item");
  }
  return item;
}

}  // namespace mpp::tempo
