#include "util/stdin.h"

#include <istream>

#include "util/interrupt.h"

namespace mpp {

Result<std::string> ReadAll(std::istream& in, std::size_t max_bytes) {
  std::string data;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_bytes) {
      return MakeError(ErrorKind::kUsage, "standard input is larger than " +
                                              std::to_string(max_bytes / (1024 * 1024)) +
                                              " MiB; send a smaller request");
    }
  }
  // Ctrl-C while the request was being typed or piped: never act on a partial request.
  if (InterruptRequested())
    return MakeError(ErrorKind::kInterrupted, "interrupted while reading standard input");
  return data;
}

}  // namespace mpp
