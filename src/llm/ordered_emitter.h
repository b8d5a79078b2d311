// Writing results that finish out of order strictly in input order, as soon as each one can go.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace mpp::llm {

// Thread-safe: batch workers call Complete from their threads. `write` runs under the emitter's lock,
// one call per line, in index order; it must not call back into the emitter.
class OrderedEmitter {
 public:
  explicit OrderedEmitter(std::function<void(std::string_view line)> write, std::size_t first_index = 0);

  // Records the line for `index` and writes every line that is now next in order. An index already
  // written or already waiting is ignored (each index completes once).
  void Complete(std::size_t index, std::string line);

  // The index the next write will be for.
  std::size_t next_index() const;
  // Lines waiting for an earlier one.
  std::size_t waiting() const;

 private:
  std::function<void(std::string_view)> write_;
  mutable std::mutex mutex_;
  std::size_t next_;
  std::map<std::size_t, std::string> waiting_;
};

}  // namespace mpp::llm
