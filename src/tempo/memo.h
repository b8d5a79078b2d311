// The MPP attribution memo (PROTOCOL.md 5.4): binds a transferWithMemo to a server and challenge.
#pragma once

#include <string_view>

#include "util/bytes.h"

namespace mpp::tempo {

// keccak256("mpp")[0..4] || 0x01 || keccak256(realm)[0..10] || keccak256(client_id)[0..10]
// || keccak256(challenge_id)[0..7]. An empty client_id means anonymous: ten zero bytes (as mppx).
Hash32 AttributionMemo(std::string_view realm, std::string_view client_id, std::string_view challenge_id);

// True when `memo` starts with the MPP tag and version byte.
bool IsAttributionMemo(const Hash32& memo);

}  // namespace mpp::tempo
