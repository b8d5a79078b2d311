#include "llm/stream_assembler.h"

#include <algorithm>
#include <utility>

#include <rapidjson/document.h>

#include "llm/envelope.h"
#include "llm/json_text.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::llm {
namespace {

constexpr std::string_view kLeadingSpace = " \t\r\n";
// The OpenAI end-of-stream marker, the whole data of a "message" event.
constexpr std::string_view kDoneData = "[DONE]";
// A service that names its error events ("event: error") still fails the answer with their message,
// as it did when every event was read as a chunk; no payment event has this name.
constexpr std::string_view kErrorEventType = "error";

}  // namespace

StreamAssembler::StreamAssembler(StreamAssemblerOptions options) : options_(std::move(options)) {}

Error StreamAssembler::Fail(Error error) {
  failure_ = error;
  return error;
}

Status StreamAssembler::Feed(std::string_view chunk) {
  if (failure_) return *failure_;
  if (mode_ == Mode::kUndecided) {
    pending_.append(chunk);
    return Decide(/*at_end=*/false);
  }
  if (mode_ == Mode::kJson) {
    if (pending_.size() + chunk.size() > kMaxResponseJsonBytes) {
      return Fail(MakeError(ErrorKind::kNetwork, "the service's JSON answer is larger than " +
                                                     std::to_string(kMaxResponseJsonBytes) + " bytes"));
    }
    pending_.append(chunk);
    return {};
  }
  if (response_.saw_done) return {};  // whatever follows "[DONE]" is not part of the answer
  if (auto fed = reader_.Feed(chunk, events_); !fed) return Fail(fed.error());
  return HandleEvents();
}

Status StreamAssembler::Decide(bool at_end) {
  std::string_view seen = pending_;
  bool bom = seen.starts_with(net::kUtf8Bom);
  if (bom) {
    seen.remove_prefix(net::kUtf8Bom.size());
  } else if (!at_end && seen.size() < net::kUtf8Bom.size() && net::kUtf8Bom.starts_with(seen)) {
    return {};  // perhaps the start of a BOM: wait for more
  }
  // Only the bytes not yet scanned: a body of whitespace fed a byte at a time must cost linear time.
  std::size_t first = seen.find_first_not_of(kLeadingSpace, std::min(leading_space_, seen.size()));
  if (first == std::string_view::npos) {
    leading_space_ = seen.size();
    if (at_end) return {};
    if (pending_.size() > net::kMaxSseLineBytes) {
      return Fail(MakeError(ErrorKind::kNetwork, "the service's answer starts with too much whitespace"));
    }
    return {};
  }
  head_ = DisplayText(seen.substr(first), 120);
  if (seen[first] == '{' || seen[first] == '[') {
    mode_ = Mode::kJson;
    if (bom) pending_.erase(0, net::kUtf8Bom.size());
    return {};
  }
  mode_ = Mode::kEvents;
  response_.streamed = true;
  std::string start = std::move(pending_);
  pending_.clear();
  if (auto fed = reader_.Feed(start, events_); !fed) return Fail(fed.error());
  return HandleEvents();
}

Status StreamAssembler::HandleEvents() {
  std::vector<net::SseEvent> events = std::move(events_);
  events_.clear();
  for (const auto& event : events) {
    if (response_.saw_done) break;
    ++event_count_;
    if (!event.IsMessage() && event.type != kErrorEventType) {  // a payment event, say: never text
      if (options_.on_other_event) options_.on_other_event(event);
      continue;
    }
    if (event.data == kDoneData) {
      response_.saw_done = true;
      break;
    }
    if (options_.on_data) options_.on_data(event.data);
    if (options_.keep_data_lines) response_.data_lines.push_back(event.data);
    if (auto handled = HandleChunk(event.data); !handled) return Fail(handled.error());
  }
  return {};
}

Status StreamAssembler::HandleChunk(std::string_view data) {
  auto chunk = ParseStreamChunk(data);
  if (!chunk) return chunk.error();
  if (!chunk->model.empty()) response_.model = std::move(chunk->model);
  if (!chunk->finish_reason.empty()) response_.finish_reason = std::move(chunk->finish_reason);
  if (chunk->usage) response_.usage = chunk->usage;
  KeepReasoning(chunk->reasoning);
  for (auto& delta : chunk->tool_calls) {
    // A hash lookup: a stream of many distinct indices must cost linear time, not quadratic.
    auto [slot, added] = tool_call_at_.try_emplace(delta.index, tool_calls_.size());
    if (added) tool_calls_.push_back(ToolCall{delta.index, {}, {}, {}, {}});
    ToolCall& call = tool_calls_[slot->second];
    if (!delta.id.empty()) call.id = std::move(delta.id);
    if (!delta.type.empty()) call.type = std::move(delta.type);
    call.name += delta.name;
    call.arguments += delta.arguments;
  }
  Emit(chunk->content);
  return {};
}

void StreamAssembler::KeepReasoning(std::string_view text) {
  std::size_t room = kMaxKeptReasoningBytes - std::min(kMaxKeptReasoningBytes, response_.reasoning.size());
  response_.reasoning.append(text.substr(0, room));
}

void StreamAssembler::Emit(std::string_view text) {
  if (text.empty()) return;
  response_.text.append(text);
  if (options_.on_text) options_.on_text(text);
}

std::string StreamAssembler::ToolCallsJson() const {
  rapidjson::Document doc;
  doc.SetArray();
  auto& allocator = doc.GetAllocator();
  for (const auto& call : tool_calls_) {
    rapidjson::Value function(rapidjson::kObjectType);
    function.AddMember("name", StringValue(call.name, allocator), allocator);
    function.AddMember("arguments", StringValue(call.arguments, allocator), allocator);
    rapidjson::Value object(rapidjson::kObjectType);
    object.AddMember("id", StringValue(call.id, allocator), allocator);
    object.AddMember("type", StringValue(call.type.empty() ? "function" : call.type, allocator), allocator);
    object.AddMember("function", function, allocator);
    doc.PushBack(object, allocator);
  }
  return json::ToCompact(doc);
}

Result<AssembledResponse> StreamAssembler::Finish() {
  if (failure_) return *failure_;
  if (mode_ == Mode::kUndecided) {
    if (auto decided = Decide(/*at_end=*/true); !decided) return decided.error();
    if (mode_ == Mode::kUndecided) {  // nothing but whitespace (and perhaps a BOM)
      return Fail(MakeError(ErrorKind::kNetwork, "the service's answer is empty"));
    }
  }
  if (mode_ == Mode::kJson) {
    if (options_.on_data) options_.on_data(pending_);
    if (options_.keep_data_lines) response_.data_lines.push_back(pending_);
    std::optional<std::string> inner;
    if (options_.unwrap_envelope) inner = UnwrapSuccessEnvelope(pending_);
    auto completion = ParseCompletion(inner ? *inner : pending_);
    if (!completion) return Fail(completion.error());
    response_.model = std::move(completion->model);
    response_.finish_reason = std::move(completion->finish_reason);
    response_.usage = completion->usage;
    KeepReasoning(completion->reasoning);
    Emit(OutputText(*completion));
    return std::move(response_);
  }
  if (mode_ == Mode::kEvents && !response_.saw_done) {
    if (auto finished = reader_.Finish(events_); !finished) return Fail(finished.error());
    if (auto handled = HandleEvents(); !handled) return handled.error();
  }
  if (mode_ == Mode::kEvents && event_count_ == 0) {
    return Fail(
        MakeError(ErrorKind::kNetwork, "the service's answer is neither JSON nor an event stream: " + head_));
  }
  if (!tool_calls_.empty()) {
    if (!response_.text.empty() && !response_.text.ends_with('\n')) Emit("\n");
    Emit(ToolCallsJson());
  }
  return std::move(response_);
}

}  // namespace mpp::llm
