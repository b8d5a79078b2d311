// base64url (RFC 4648 section 5) without padding, as MPP uses it; and standard base64 for data: URLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace mpp {

// Encodes without '=' padding.
std::string EncodeBase64Url(ByteView bytes);
inline std::string EncodeBase64Url(std::string_view text) { return EncodeBase64Url(AsBytes(text)); }

// Standard base64 (RFC 4648 section 4, '+' and '/', '=' padding), as data: URLs carry it.
std::string EncodeBase64(ByteView bytes);

// Strict: refuses padding, whitespace, the '+' and '/' of standard base64, any other character, a
// length of 1 mod 4, and non-zero bits left over in the last character.
std::optional<Bytes> DecodeBase64Url(std::string_view text);

}  // namespace mpp
