#include "util/fd_stream.h"

#include <openssl/crypto.h>
#include <unistd.h>

#include <cerrno>

namespace mpp {

FdStreamBuf::FdStreamBuf(int fd) : fd_(fd) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

FdStreamBuf::~FdStreamBuf() {
  Drain();
  OPENSSL_cleanse(buffer_.data(), buffer_.size());
}

bool FdStreamBuf::Drain() {
  const char* at = pbase();
  const char* end = pptr();
  bool ok = error_ == 0;
  while (ok && at < end) {
    const ssize_t written = ::write(fd_, at, static_cast<std::size_t>(end - at));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      error_ = written < 0 ? errno : EIO;
      ok = false;
      break;
    }
    at += written;
  }
  // What could not be written is dropped: the stream is failed from here on.
  OPENSSL_cleanse(pbase(), static_cast<std::size_t>(pptr() - pbase()));
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return ok;
}

FdStreamBuf::int_type FdStreamBuf::overflow(int_type c) {
  if (!Drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int FdStreamBuf::sync() { return Drain() ? 0 : -1; }

int StreamWriteError(const std::ostream& out) {
  if (const auto* fd_stream = dynamic_cast<const FdOutputStream*>(&out)) {
    if (fd_stream->error() != 0) return fd_stream->error();
  }
  return out ? 0 : EIO;
}

}  // namespace mpp
