// Turning a chat response body, streamed or not, into text as it arrives and a summary at the end.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "llm/completion.h"
#include "net/sse.h"
#include "util/error.h"

namespace mpp::llm {

// Everything known once the body has ended.
struct AssembledResponse {
  std::string text;                     // all text handed to on_text, concatenated (tool calls included)
  std::string reasoning;                // reasoning the model exposed, never printed: its first
                                        // kMaxKeptReasoningBytes, the rest is dropped as it arrives
  std::string model;                    // as the service named it (the last non-empty value)
  std::string finish_reason;            // empty when the stream ended without one
  std::optional<Usage> usage;           // the last usage seen
  bool streamed = false;                // true: an event stream; false: one JSON document
  bool saw_done = false;                // the stream ended with "[DONE]"
  std::vector<std::string> data_lines;  // kept only with keep_data_lines: each event's data, or the JSON body
};

// How much unprinted reasoning an answer keeps: a service may stream any amount of it.
inline constexpr std::size_t kMaxKeptReasoningBytes = 64 * 1024;

struct StreamAssemblerOptions {
  // Receives each text delta as it arrives (a JSON answer: the whole text at Finish).
  std::function<void(std::string_view text)> on_text;
  // Receives, for --raw, each event's data as it arrives ("[DONE]" excluded), or the whole JSON body at
  // Finish; may be empty.
  std::function<void(std::string_view data)> on_data;
  bool keep_data_lines = false;
  // Receives each event whose type is neither "message" nor "error", such as a session's
  // payment-need-voucher or payment-receipt, as it arrives; may be empty. Such events never reach
  // on_text, on_data or the summary.
  std::function<void(const net::SseEvent& event)> on_other_event;
  // A JSON answer that is exactly {"success":true,"data":{...}} (Locus) is read as its `data`.
  // on_data and data_lines still get the body as it came.
  bool unwrap_envelope = false;
};

// Consumes a response body in arbitrary chunks. The first non-whitespace byte decides the format:
// '{' or '[' is one JSON document (a service that ignored "stream": true), anything else an event
// stream. Only "message" events are read as chat chunks, and "error" events, so that a named error
// still fails the answer; events of other types go to on_other_event and are never read as text.
// Events after "[DONE]" are ignored. Tool calls, streamed or not, are emitted after the text as their
// JSON array (see OutputText). Not thread-safe.
class StreamAssembler {
 public:
  explicit StreamAssembler(StreamAssemblerOptions options);

  // Fails (kNetwork) on an oversized line or JSON body, an unparsable chunk, or an error object in the
  // stream; after a failure every call fails.
  Status Feed(std::string_view chunk);

  // The body ended. Fails (kNetwork) on an empty body, a JSON answer that is not a completion, a body
  // that held no events at all (neither JSON nor an event stream), or after an earlier failure.
  Result<AssembledResponse> Finish();

 private:
  enum class Mode { kUndecided, kJson, kEvents };
  struct ToolCall {
    std::int64_t index = 0;
    std::string id, type, name, arguments;
  };

  Status Decide(bool at_end);
  Status HandleEvents();
  Status HandleChunk(std::string_view data);
  void Emit(std::string_view text);
  void KeepReasoning(std::string_view text);
  std::string ToolCallsJson() const;
  Error Fail(Error error);  // remembers the failure and returns it

  StreamAssemblerOptions options_;
  Mode mode_ = Mode::kUndecided;
  std::string pending_;            // undecided: the leading bytes; JSON: the whole body
  std::string head_;               // the start of the body, display-safe, for error messages
  std::size_t leading_space_ = 0;  // undecided: how much of pending_ (past a BOM) is known whitespace
  net::SseReader reader_;
  std::vector<net::SseEvent> events_;
  std::vector<ToolCall> tool_calls_;                            // in order of first appearance
  std::unordered_map<std::int64_t, std::size_t> tool_call_at_;  // index -> position in tool_calls_
  AssembledResponse response_;
  std::size_t event_count_ = 0;
  std::optional<Error> failure_;
};

}  // namespace mpp::llm
