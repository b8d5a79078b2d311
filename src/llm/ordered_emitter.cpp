#include "llm/ordered_emitter.h"

#include <utility>

namespace mpp::llm {

OrderedEmitter::OrderedEmitter(std::function<void(std::string_view line)> write, std::size_t first_index)
    : write_(std::move(write)), next_(first_index) {}

void OrderedEmitter::Complete(std::size_t index, std::string line) {
  std::lock_guard lock(mutex_);
  if (index < next_) return;
  waiting_.emplace(index, std::move(line));
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_; it = waiting_.erase(it)) {
    write_(it->second);
    ++next_;
  }
}

std::size_t OrderedEmitter::next_index() const {
  std::lock_guard lock(mutex_);
  return next_;
}

std::size_t OrderedEmitter::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

}  // namespace mpp::llm
