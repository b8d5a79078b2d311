// SseReader on any stream, fed whole, byte by byte and in uneven pieces: net/sse.h promises chunks may be
// split anywhere, so all three must yield the same events and the same outcome. A second pass with tiny
// caps drives the line and event limits.
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "net/sse.h"

namespace {

using mpp::net::SseEvent;
using mpp::net::SseReader;

struct Outcome {
  bool ok = true;
  std::vector<SseEvent> events;
};

// Feeds `stream` in pieces whose sizes cycle through `sizes` (all zeros: the whole stream at once).
Outcome Read(std::string_view stream, const std::vector<std::size_t>& sizes, std::size_t max_line,
             std::size_t max_event) {
  SseReader reader(max_line, max_event);
  Outcome out;
  std::size_t at = 0;
  for (std::size_t k = 0; at < stream.size() && out.ok; ++k) {
    std::size_t size = sizes[k % sizes.size()];
    if (size == 0) size = stream.size();
    const std::string_view piece = stream.substr(at, size);
    at += piece.size();
    out.ok = reader.Feed(piece, out.events).ok();
  }
  if (out.ok) out.ok = reader.Finish(out.events).ok();
  if (!out.ok) {
    std::vector<SseEvent> more;
    FUZZ_CHECK(!reader.Feed("data: x\n\n", more).ok());  // a failed reader stays failed
    FUZZ_CHECK(!reader.Finish(more).ok());
    FUZZ_CHECK(more.empty());
  }
  return out;
}

bool Same(const Outcome& a, const Outcome& b) {
  if (a.ok != b.ok || a.events.size() != b.events.size()) return false;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const SseEvent& x = a.events[i];
    const SseEvent& y = b.events[i];
    if (x.type != y.type || x.data != y.data || x.id != y.id) return false;
  }
  return true;
}

void CheckAllSplits(std::string_view stream, std::size_t max_line, std::size_t max_event) {
  const Outcome whole = Read(stream, {0}, max_line, max_event);
  FUZZ_CHECK(Same(whole, Read(stream, {1}, max_line, max_event)));
  FUZZ_CHECK(Same(whole, Read(stream, {2, 1, 3, 7, 1, 5}, max_line, max_event)));
  for (const SseEvent& event : whole.events) {
    FUZZ_CHECK(!event.type.empty());
    FUZZ_CHECK(event.data.size() < max_event);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream = mpp::fuzz::AsText(data, size);
  CheckAllSplits(stream, mpp::net::kMaxSseLineBytes, mpp::net::kMaxSseEventBytes);
  CheckAllSplits(stream, 16, 40);
  return 0;
}
