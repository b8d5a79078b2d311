// An std::ostream over a file descriptor (stdout) that remembers why a write failed, so a full disk or
// a broken pipe is an error the caller can report (and journal) instead of a silently lost answer.
#pragma once

#include <array>
#include <ostream>
#include <streambuf>

namespace mpp {

// Buffers up to 64 KiB and writes it with write(2), retrying short writes and EINTR. The buffer is
// wiped when the stream goes away (it may have held a private key printed on request).
class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd);
  ~FdStreamBuf() override;
  FdStreamBuf(const FdStreamBuf&) = delete;
  FdStreamBuf& operator=(const FdStreamBuf&) = delete;

  // errno of the first write that failed; 0 when none has.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool Drain();
  int fd_;
  int error_ = 0;
  std::array<char, 64 * 1024> buffer_{};
};

class FdOutputStream : public std::ostream {
 public:
  explicit FdOutputStream(int fd) : std::ostream(nullptr), buf_(fd) { rdbuf(&buf_); }
  // errno of the first failed write (e.g. ENOSPC, EPIPE); 0 when every write so far succeeded.
  int error() const { return buf_.error(); }

 private:
  FdStreamBuf buf_;
};

// errno of the last failed write to `out` when it is an FdOutputStream, else EIO for a failed stream
// and 0 for a good one.
int StreamWriteError(const std::ostream& out);

}  // namespace mpp
