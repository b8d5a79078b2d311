// Writing a response body to stdout as it arrives.
#pragma once

#include <ostream>
#include <string_view>

namespace mpp::cli {

// Copies each chunk to `out` and flushes. When the reader goes away (EPIPE with SIGPIPE ignored)
// it keeps accepting and discarding, so the paid transfer completes and its receipt is journaled.
class OutputSink {
 public:
  explicit OutputSink(std::ostream& out) : out_(out) {}
  bool Write(std::string_view chunk) {
    if (closed_) return true;
    out_.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    out_.flush();
    if (!out_) closed_ = true;
    return true;
  }
  bool closed() const { return closed_; }

 private:
  std::ostream& out_;
  bool closed_ = false;
};

}  // namespace mpp::cli
