#include "cli/progress.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "cli/chat_render.h"

namespace mpp::cli {
namespace {

// The only output that bypasses msg::, because it must not end in a newline. It is drawn only on a
// terminal and only without -v, so no message lines are written while it is up.
void WriteStderr(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

bool ProgressWanted(bool stderr_is_tty, int verbosity, const wallet::EnvLookup& env) {
  if (!stderr_is_tty || verbosity > 0) return false;
  const char* no_color = env("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = env("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

ProgressBar::ProgressBar(bool enabled, std::size_t total) : enabled_(enabled), total_(total) {
  std::lock_guard lock(mutex_);
  Draw();
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Advance(bool failed) {
  std::lock_guard lock(mutex_);
  ++done_;
  if (failed) ++failed_;
  Draw();
}

void ProgressBar::Finish() {
  std::lock_guard lock(mutex_);
  if (!enabled_) return;
  if (drawn_width_ > 0) {
    std::string blank = "\r";
    blank.append(drawn_width_, ' ').append("\r");
    WriteStderr(blank);
  }
  enabled_ = false;
}

void ProgressBar::Draw() {
  if (!enabled_) return;
  std::string line = "\rmpp: ";
  line.append(ProgressBarText(done_, failed_, total_));
  std::size_t width = line.size() - 1;
  if (width < drawn_width_) line.append(drawn_width_ - width, ' ');
  drawn_width_ = std::max(width, drawn_width_);
  WriteStderr(line);
}

}  // namespace mpp::cli
