// An incremental reader for Server-Sent Events (the WHATWG event-stream format): bytes in, in chunks
// split anywhere; whole typed events out. It knows nothing of what the events mean: the chat layer
// (llm/stream_assembler.h) reads the "message" events as completion chunks, and the payment layer reads
// its own event types (mpp/session_events.h), so a payment event is never taken for text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace mpp::net {

// The UTF-8 byte order mark, which may open an event stream and is not part of its content.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The type of an event that names none: what a plain `data:` stream (every chat service) carries.
inline constexpr std::string_view kSseMessageType = "message";

struct SseEvent {
  // The "event:" field, "message" when none was given.
  std::string type = std::string(kSseMessageType);
  std::string data;  // the "data:" lines of the event joined by '\n'
  std::string id;    // the last "id:" seen so far in the stream (ids persist), or empty

  bool IsMessage() const { return type == kSseMessageType; }
};

inline constexpr std::size_t kMaxSseLineBytes = 1024 * 1024;
inline constexpr std::size_t kMaxSseEventBytes = 8 * 1024 * 1024;

// Parses an event stream fed in arbitrary pieces. Lines end in CRLF, LF or CR (a CRLF split between
// two chunks counts once); one UTF-8 BOM at the very start is skipped; ":" lines are comments; an
// empty line dispatches the event, and events without data are dropped, as the standard says. Bytes
// are passed through undecoded, so a chunk may end inside a UTF-8 sequence. Not thread-safe.
class SseReader {
 public:
  explicit SseReader(std::size_t max_line_bytes = kMaxSseLineBytes,
                     std::size_t max_event_bytes = kMaxSseEventBytes);

  // Consumes `chunk` and appends the events it completes to `events`. Fails (kNetwork) when a line
  // exceeds the line cap or an event's data the event cap; after a failure every call fails the same.
  Status Feed(std::string_view chunk, std::vector<SseEvent>& events);

  // The stream ended: an unterminated last line is taken as a line, and an event with data that was
  // not followed by an empty line is still dispatched (servers often end on "data: [DONE]\n").
  Status Finish(std::vector<SseEvent>& events);

 private:
  Status ProcessLine(std::string_view line, std::vector<SseEvent>& events);
  void Dispatch(std::vector<SseEvent>& events);

  std::size_t max_line_bytes_;
  std::size_t max_event_bytes_;
  std::string line_;        // the incomplete current line
  std::string data_;        // data of the event being built, each line followed by '\n'
  std::string event_name_;  // empty: "message"
  std::string last_id_;
  std::size_t bom_matched_ = 0;  // BOM bytes matched so far at the stream start
  bool at_start_ = true;         // no byte past a possible BOM seen yet
  bool after_cr_ = false;        // the previous byte ended a line with CR; a following LF is part of it
  std::string failure_;          // non-empty once failed
};

}  // namespace mpp::net
