#include "cli/chat_render.h"

#include "cli/pay_context.h"
#include "llm/conversation_record.h"
#include "util/text.h"
#include "util/utc_time.h"

namespace mpp::cli {

std::string ChatSummaryLine(std::string_view model, const std::optional<llm::Usage>& usage,
                            const std::optional<protocol::PaymentSummary>& payment) {
  std::string line;
  auto add = [&line](const std::string& part) {
    if (!line.empty()) line += ", ";
    line += part;
  };
  if (!model.empty()) add(DisplayText(model, 80));
  if (usage) {
    add(std::to_string(usage->total_tokens) + " tokens (" + std::to_string(usage->prompt_tokens) + " in, " +
        std::to_string(usage->completion_tokens) + " out)");
  }
  add(payment ? PaymentSummaryLine(*payment) : std::string("free"));
  return line;
}

std::string RenderConversationList(const std::vector<llm::ConversationSummary>& conversations) {
  if (conversations.empty()) return "no conversations yet\n";
  std::string out;
  for (const auto& c : conversations) {
    std::string when = FormatUtcTimestamp(c.updated);  // 2025-11-22T01:51:00Z
    if (when.size() >= 16) when = when.substr(0, 10) + " " + when.substr(11, 5);
    std::string turns = std::to_string(c.turns) + (c.turns == 1 ? " turn " : " turns");
    out += c.id + "  " + when + "  " + turns + "  " + DisplayText(c.preview, 80) + "\n";
  }
  return out;
}

std::string ProgressBarText(std::size_t done, std::size_t failed, std::size_t total, std::size_t width) {
  if (width == 0) width = 1;
  if (done > total) done = total;
  std::size_t filled = total == 0 ? width : done * width / total;
  std::string total_text = std::to_string(total);
  std::string done_text = std::to_string(done);
  std::string text = "[";
  text.append(filled, '#').append(width - filled, '-').append("]  ");
  text.append(total_text.size() - done_text.size(), ' ').append(done_text).append("/").append(total_text);
  if (failed > 0) text.append("  ").append(std::to_string(failed)).append(" failed");
  return text;
}

std::string RenderModelList(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += id + "\n";
  return out;
}

}  // namespace mpp::cli
