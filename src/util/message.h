// The one layer every message to the user goes through: stderr, "mpp: " prefix, verbosity, and the
// display filter (EscapeForTerminal) on every message.
#pragma once

#include <string_view>

namespace mpp::msg {

// 0: errors and warnings only; 1: -v; 2: -vv.
void SetVerbosity(int level);
int Verbosity();

void Error(std::string_view text);    // "mpp: error: text"
void Warning(std::string_view text);  // "mpp: warning: text"
void Info(std::string_view text);     // "mpp: text", always shown
void Verbose(std::string_view text);  // "mpp: text", only with -v
void Debug(std::string_view text);    // "mpp: text", only with -vv

}  // namespace mpp::msg
