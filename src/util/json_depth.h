// A guard for JSON from outside: RapidJSON's default parser, CopyFrom and writers recurse once per
// nesting level, so a deeply nested document could exhaust the stack.
#pragma once

#include <string_view>

namespace mpp {

// Nesting no real keystore, receipt, RPC answer or chat request comes near.
inline constexpr int kMaxJsonDepth = 128;

// True when no array or object in `text` nests deeper than `max_depth` (strings and escapes are
// skipped; the text need not be valid JSON). Linear, no recursion.
bool JsonNestingWithin(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace mpp
