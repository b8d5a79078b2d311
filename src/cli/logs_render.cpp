#include "cli/logs_render.h"

#include <string_view>

#include "llm/conversation_record.h"
#include "llm/json_text.h"
#include "util/json_reader.h"
#include "util/text.h"
#include "util/utc_time.h"

namespace mpp::cli {
namespace {

constexpr std::size_t kPromptLineBytes = 60;
constexpr std::size_t kFieldBytes = 60;
// Longer lines of a transcript are cut (marked "..."); the whole text is in --json and -r.
constexpr std::size_t kTranscriptLineBytes = 64 * 1024;

// 2026-12-04T01:23:45Z as "2026-12-04 01:23:45".
std::string ListTime(std::int64_t unix_time) {
  std::string stamp = FormatUtcTimestamp(unix_time);
  if (stamp.size() >= 19) return stamp.substr(0, 10) + " " + stamp.substr(11, 8);
  return stamp;
}

std::string ListField(const std::string& text) { return text.empty() ? "-" : DisplayText(text, kFieldBytes); }

std::string FirstTextLine(std::string_view text) {
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      std::string flat(line);
      for (char& c : flat) {
        if (c == '\t' || c == '\r') c = ' ';
      }
      std::size_t first = flat.find_first_not_of(' ');
      std::size_t last = flat.find_last_not_of(' ');
      return DisplayText(std::string_view(flat).substr(first, last - first + 1), kPromptLineBytes);
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return {};
}

// `text` made display-safe line by line, keeping line breaks and tabs, ending in a newline.
std::string SafeBlock(std::string_view text) {
  std::string out;
  while (true) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::string_view rest = line;
    while (true) {
      std::size_t tab = rest.find('\t');
      out += DisplayText(rest.substr(0, tab), kTranscriptLineBytes);
      if (tab == std::string_view::npos) break;
      out += '\t';
      rest.remove_prefix(tab + 1);
    }
    out += '\n';
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
    if (text.empty()) break;
  }
  return out;
}

std::string MessageHeading(const llm::Message& message) {
  if (message.role == "user") return "## Prompt";
  if (message.role == "system") return "## System";
  if (message.role == "assistant") return "## Assistant";
  return "## " + DisplayText(message.role, kFieldBytes);
}

std::string PaymentText(const llm::ExchangeRecord& record) {
  if (record.paid.empty()) return "free";
  std::string text = "paid " + DisplayText(record.paid, kFieldBytes);
  if (!record.tx.empty()) text += ", tx " + DisplayText(record.tx, 80);
  return text;
}

}  // namespace

std::string PromptLine(const llm::ExchangeRecord& record) {
  const llm::Message* chosen = nullptr;
  for (const auto& message : record.messages) {
    if (message.role == "user") chosen = &message;
  }
  if (chosen == nullptr && !record.messages.empty()) chosen = &record.messages.back();
  return chosen == nullptr ? std::string() : FirstTextLine(chosen->content);
}

std::string RenderExchangeList(const std::vector<llm::LoggedExchange>& exchanges) {
  std::string out;
  for (const auto& exchange : exchanges) {
    const llm::ExchangeRecord& r = exchange.record;
    std::string cost = r.paid.empty() ? "free" : DisplayText(r.paid, kFieldBytes);
    out += ListTime(r.unix_time) + "  " + ListField(r.service) + "  " + ListField(r.model) + "  " + cost +
           "  " + exchange.conversation_id + "  " + PromptLine(r) + "\n";
  }
  return out;
}

std::string RenderTranscript(const std::vector<llm::LoggedExchange>& exchanges) {
  std::string out;
  for (const auto& exchange : exchanges) {
    const llm::ExchangeRecord& r = exchange.record;
    if (!out.empty()) out += "\n";
    out += "# " + ListTime(r.unix_time) + " UTC  conversation " + exchange.conversation_id + "\n\n";
    out += ListField(r.service) + ", " + ListField(r.model) + ", " + PaymentText(r) + "\n";
    for (const auto& message : r.messages) {
      out += "\n" + MessageHeading(message) + "\n\n";
      if (message.content.empty() && !message.raw.empty()) {
        out += "(content that is not text; see --json)\n";
      } else {
        out += SafeBlock(message.content);
      }
    }
    out += "\n## Response\n\n" + SafeBlock(r.response);
  }
  return out;
}

std::string ExchangesJson(const std::vector<llm::LoggedExchange>& exchanges) {
  rapidjson::Document doc(rapidjson::kArrayType);
  auto& allocator = doc.GetAllocator();
  for (const auto& exchange : exchanges) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("conversation_id", llm::StringValue(exchange.conversation_id, allocator), allocator);
    rapidjson::Value record = llm::ExchangeRecordJson(exchange.record, allocator);
    for (auto& member : record.GetObject()) item.AddMember(member.name, member.value, allocator);
    doc.PushBack(item, allocator);
  }
  return json::ToCompact(doc) + "\n";
}

std::string AnswerOutput(const llm::ExchangeRecord& record) {
  std::string out = record.response;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace mpp::cli
