// Writing a response body to stdout as it arrives, remembering whether every byte got there.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>

#include "util/fd_stream.h"

namespace mpp::cli {

// Copies each chunk to `out` and flushes. After a failed write it keeps accepting and discarding, so
// the paid transfer completes and its receipt is journaled; the caller then reports failure() (and
// journals the answer as lost). A reader that went away (EPIPE with SIGPIPE ignored, as after
// `| head`) chose to stop reading: closed(), but no failure().
class OutputSink {
 public:
  explicit OutputSink(std::ostream& out) : out_(out) {}
  bool Write(std::string_view chunk) {
    if (closed_) return true;
    out_.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    out_.flush();
    if (out_) {
      ++chunks_written_;
      return true;
    }
    closed_ = true;
    const int error = StreamWriteError(out_);
    if (error != EPIPE) failure_ = std::string("cannot write standard output: ") + std::strerror(error);
    return true;
  }
  bool closed() const { return closed_; }
  // Why the output was cut short, when it was not the reader's choice; empty otherwise.
  const std::string& failure() const { return failure_; }
  // Chunks that reached the stream whole, counting from the first.
  std::size_t chunks_written() const { return chunks_written_; }

 private:
  std::ostream& out_;
  bool closed_ = false;
  std::string failure_;
  std::size_t chunks_written_ = 0;
};

}  // namespace mpp::cli
