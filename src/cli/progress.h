// The batch progress bar: one line on stderr, redrawn in place, only on a terminal.
#pragma once

#include <cstddef>
#include <mutex>

#include "wallet/env.h"

namespace mpp::cli {

// Whether to draw a bar: stderr is a terminal, NO_COLOR is unset or empty, TERM is not "dumb", and no
// -v messages would tear it.
bool ProgressWanted(bool stderr_is_tty, int verbosity, const wallet::EnvLookup& env);

// Thread-safe. Draws nothing when disabled. The line is cleared again by Finish (or the destructor), so
// nothing of it stays on the terminal.
class ProgressBar {
 public:
  ProgressBar(bool enabled, std::size_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Records one finished item (failed or not) and redraws.
  void Advance(bool failed);
  void Finish();

 private:
  void Draw();  // with mutex_ held

  bool enabled_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::size_t drawn_width_ = 0;
  std::mutex mutex_;
};

}  // namespace mpp::cli
