// Readers for the value shapes session JSON uses (SESSION.md 3.1): uint96 amounts as decimal
// strings, bytes32 as 0x + 64 hex, addresses. Each returns nullopt for anything else; the caller
// names the field and picks the error kind.
#pragma once

#include <rapidjson/document.h>

#include <optional>

#include "crypto/address.h"
#include "util/bytes.h"
#include "util/u256.h"

namespace mpp::protocol::session_fields {

// The member `name` of `object`, or nullptr when absent or null.
const rapidjson::Value* Find(const rapidjson::Value& object, const char* name);
// A JSON string of plain decimal digits (no sign, exponent or leading zeros) at most 2^96-1.
std::optional<U256> Uint96(const rapidjson::Value& value);
// A JSON string "0x" + 64 hex digits, either case.
std::optional<Hash32> Bytes32(const rapidjson::Value& value);
// A JSON string "0x" + 40 hex digits; mixed case must be EIP-55 valid.
std::optional<crypto::Address> Address(const rapidjson::Value& value);

}  // namespace mpp::protocol::session_fields
