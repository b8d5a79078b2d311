#include "util/message.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "util/terminal_text.h"

namespace mpp::msg {
namespace {

std::atomic<int> g_verbosity{0};
std::mutex g_mutex;  // batch workers write from several threads; keep lines whole

// Messages quote servers, RPCs and files, so every one passes the display filter: one line, no
// terminal controls, bounded length.
void Write(std::string_view prefix, std::string_view text) {
  std::string line(prefix);
  line += EscapeForTerminal(text);
  line += '\n';
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void SetVerbosity(int level) { g_verbosity = level; }
int Verbosity() { return g_verbosity; }

void Error(std::string_view text) { Write("mpp: error: ", text); }
void Warning(std::string_view text) { Write("mpp: warning: ", text); }
void Info(std::string_view text) { Write("mpp: ", text); }
void Verbose(std::string_view text) {
  if (g_verbosity >= 1) Write("mpp: ", text);
}
void Debug(std::string_view text) {
  if (g_verbosity >= 2) Write("mpp: ", text);
}

}  // namespace mpp::msg
