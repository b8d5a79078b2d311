// Recursive Length Prefix (RLP) encoding, and a strict decoder for untrusted bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "util/bytes.h"
#include "util/error.h"
#include "util/u256.h"

namespace mpp::tempo {

// Deepest list nesting the decoder accepts; a Tempo transaction needs about five.
inline constexpr std::size_t kMaxRlpDepth = 32;

// The encoding of one byte string: a single byte below 0x80 as itself, else a length prefix.
Bytes RlpEncodeBytes(ByteView bytes);
// The encoding of an unsigned integer as its minimal big-endian bytes (0 -> 0x80).
Bytes RlpEncodeUint(const U256& value);
// Wraps already-encoded items, concatenated in `payload`, into a list header.
Bytes RlpWrapList(ByteView payload);

// Builds one list item by item; Encode() returns the list with its header.
class RlpList {
 public:
  RlpList& AddBytes(ByteView bytes);
  RlpList& AddUint(const U256& value);
  RlpList& AddRaw(ByteView encoded_item);  // an item that is already RLP-encoded
  RlpList& AddList(const RlpList& list);
  Bytes Encode() const;
  const Bytes& payload() const { return payload_; }

 private:
  Bytes payload_;
};

// One decoded item: a byte string or a list of items. `encoded` is the item's exact encoding.
struct RlpItem {
  bool is_list = false;
  Bytes bytes;                 // payload of a byte string; empty for lists
  std::vector<RlpItem> items;  // children of a list; empty for byte strings
  Bytes encoded;

  // A canonical unsigned integer: a byte string of at most 32 bytes without leading zero (0 is
  // the empty string). Errors name `field`.
  Result<U256> AsUint(std::string_view field) const;
  // Like AsUint, but also at most 2^64-1.
  Result<std::uint64_t> AsUint64(std::string_view field) const;
  // A byte string of exactly `size` bytes.
  Result<Bytes> AsFixedBytes(std::string_view field, std::size_t size) const;
};

// Decodes exactly one item that spans all of `data`. Refuses (ErrorKind::kUsage) truncated input,
// trailing bytes, non-canonical lengths (a single byte below 0x80 with a prefix, the long form for
// fewer than 56 bytes, lengths with leading zeros) and nesting deeper than kMaxRlpDepth. Safe on
// any input.
Result<RlpItem> RlpDecode(ByteView data);

}  // namespace mpp::tempo
