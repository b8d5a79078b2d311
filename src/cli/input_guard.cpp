#include "cli/input_guard.h"

#include "util/message.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

std::size_t HistoryBytes(const std::vector<llm::Message>& history) {
  std::size_t bytes = 0;
  for (const auto& m : history) bytes += m.raw.empty() ? m.content.size() : m.raw.size();
  return bytes;
}

}  // namespace

std::size_t EstimateTokens(std::size_t bytes) { return bytes / 4 + (bytes % 4 != 0 ? 1 : 0); }

std::string DescribeHistory(const std::vector<llm::Message>& history) {
  const std::size_t bytes = HistoryBytes(history);
  return std::to_string(history.size()) +
         (history.size() == 1 ? " earlier message (" : " earlier messages (") + std::to_string(bytes) +
         " bytes, ~" + std::to_string(EstimateTokens(bytes)) + " tokens)";
}

Status CheckInputSize(std::size_t body_bytes, const std::vector<llm::Message>& history,
                      std::size_t max_bytes) {
  const std::size_t size = body_bytes;
  if (size <= max_bytes) return {};
  std::string text = "the request is " + std::to_string(size) + " bytes (~" +
                     std::to_string(EstimateTokens(size)) + " tokens), over --max-input " +
                     std::to_string(max_bytes) + " bytes";
  if (!history.empty()) text += ", " + DescribeHistory(history) + " of it history";
  text += "; nothing was sent (send less";
  if (!history.empty()) text += ", start a new conversation instead of continuing this one";
  text += ", or raise --max-input, e.g. --max-input 4M)";
  return MakeError(ErrorKind::kUsage, text);
}

Result<std::size_t> ResolveMaxInput(std::string_view flag) {
  if (flag.empty()) return kDefaultMaxInputBytes;
  auto size = ParseByteSize(flag);
  if (!size) {
    return MakeError(ErrorKind::kUsage, "--max-input '" + DisplayText(flag, 40) +
                                            "' is not a size (bytes, or with K, M or G, e.g. 1M)");
  }
  return *size;
}

Result<PaymentSettings> GuardInput(const llm::ChatRequest& request, const std::vector<llm::Message>& history,
                                   std::string_view flag, const PaymentSettings& settings) {
  auto max_bytes = ResolveMaxInput(flag);
  if (!max_bytes) return max_bytes.error();
  if (auto fits = CheckInputSize(request.body.size(), history, *max_bytes); !fits) return fits.error();
  PaymentSettings paying = settings;
  if (!history.empty()) {
    msg::Info("re-sending " + DescribeHistory(history) +
              " with this call; a service that prices by size "
              "charges for them too");
    paying.confirm.announce = true;
  }
  return paying;
}

}  // namespace mpp::cli
