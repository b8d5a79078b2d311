// Hexadecimal encoding, strict decoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace mpp {

// Lowercase hex of `bytes`, with a "0x" prefix unless `prefix` is false.
std::string ToHex(ByteView bytes, bool prefix = true);

// Decodes hex with an optional "0x"/"0X" prefix, either case. Refuses odd lengths, whitespace and any
// non-hex character.
std::optional<Bytes> FromHex(std::string_view text);

// Like FromHex, but also requires exactly `size` bytes.
std::optional<Bytes> FromHexExact(std::string_view text, std::size_t size);

// FromHexExact(text, 32) as a Hash32 (a transaction hash, a memo, a channel id).
std::optional<Hash32> Hash32FromHex(std::string_view text);

}  // namespace mpp
