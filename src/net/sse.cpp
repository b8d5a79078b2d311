#include "net/sse.h"

namespace mpp::net {

SseReader::SseReader(std::size_t max_line_bytes, std::size_t max_event_bytes)
    : max_line_bytes_(max_line_bytes), max_event_bytes_(max_event_bytes) {}

Status SseReader::Feed(std::string_view chunk, std::vector<SseEvent>& events) {
  if (!failure_.empty()) return MakeError(ErrorKind::kNetwork, failure_);
  std::size_t i = 0;
  while (at_start_ && i < chunk.size()) {
    if (chunk[i] == kUtf8Bom[bom_matched_]) {
      ++i;
      if (++bom_matched_ == kUtf8Bom.size()) at_start_ = false;
    } else {
      at_start_ = false;
      line_.append(kUtf8Bom.substr(0, bom_matched_));  // a false start: those bytes were content
    }
  }
  while (i < chunk.size()) {
    if (after_cr_) {
      after_cr_ = false;
      if (chunk[i] == '\n') {
        ++i;
        continue;
      }
    }
    std::size_t end = chunk.find_first_of("\r\n", i);
    std::string_view piece =
        chunk.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (line_.size() + piece.size() > max_line_bytes_) {
      failure_ = "the event stream has a line longer than " + std::to_string(max_line_bytes_) + " bytes";
      return MakeError(ErrorKind::kNetwork, failure_);
    }
    if (end == std::string_view::npos) {
      line_.append(piece);
      break;
    }
    Status processed;
    if (line_.empty()) {
      processed = ProcessLine(piece, events);  // the common case: the whole line is in this chunk
    } else {
      line_.append(piece);
      processed = ProcessLine(line_, events);
      line_.clear();
    }
    if (!processed) return processed;
    after_cr_ = chunk[end] == '\r';
    i = end + 1;
  }
  return {};
}

Status SseReader::Finish(std::vector<SseEvent>& events) {
  if (!failure_.empty()) return MakeError(ErrorKind::kNetwork, failure_);
  if (at_start_) {
    at_start_ = false;
    line_.append(kUtf8Bom.substr(0, bom_matched_));
  }
  if (!line_.empty()) {
    std::string last = std::move(line_);
    line_.clear();
    if (auto processed = ProcessLine(last, events); !processed) return processed;
  }
  if (!data_.empty()) Dispatch(events);
  return {};
}

Status SseReader::ProcessLine(std::string_view line, std::vector<SseEvent>& events) {
  if (line.empty()) {
    Dispatch(events);
    return {};
  }
  if (line.front() == ':') return {};  // a comment, e.g. a keep-alive
  std::size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) {
      failure_ = "the event stream has an event larger than " + std::to_string(max_event_bytes_) + " bytes";
      return MakeError(ErrorKind::kNetwork, failure_);
    }
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "event") {
    event_name_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // "retry" and unknown fields are ignored, as the standard says.
  return {};
}

void SseReader::Dispatch(std::vector<SseEvent>& events) {
  if (data_.empty()) {
    event_name_.clear();
    return;
  }
  data_.pop_back();  // the '\n' after the last data line
  SseEvent event;
  if (!event_name_.empty()) event.type = std::move(event_name_);
  event.data = std::move(data_);
  event.id = last_id_;
  events.push_back(std::move(event));
  data_.clear();
  event_name_.clear();
}

}  // namespace mpp::net
