// Fenced code blocks in a Markdown answer, for `mpp chat -x` (the first) and `--extract-last` (the last).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mpp::llm {

// The code inside the first (or, with `last`, the last) fenced code block of `text`, ending in '\n'
// when it holds anything; nullopt when `text` has none. A fence is a line of three or more backticks
// or tildes, indented by at most three spaces, with an optional info string ("```cpp"); the block ends
// at a line of at least as many of the same character and nothing else but spaces, or at the end of
// the text (CommonMark's rule, so an answer cut off by --max-tokens still gives its code). A backtick
// fence's info string may not hold a backtick (CommonMark), so "```x```" on one line is inline code.
std::optional<std::string> ExtractFencedCode(std::string_view text, bool last = false);

}  // namespace mpp::llm
