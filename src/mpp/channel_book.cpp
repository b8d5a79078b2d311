#include "mpp/channel_book.h"

#include <array>
#include <utility>

namespace mpp::protocol {
namespace {

constexpr std::array<std::pair<ChannelStatus, std::string_view>, 5> kChannelStatusNames{{
    {ChannelStatus::kOpening, "opening"},
    {ChannelStatus::kOpen, "open"},
    {ChannelStatus::kClosing, "closing"},
    {ChannelStatus::kClosed, "closed"},
    {ChannelStatus::kStale, "stale"},
}};

}  // namespace

std::string_view ChannelStatusName(ChannelStatus status) {
  for (const auto& [value, name] : kChannelStatusNames) {
    if (value == status) return name;
  }
  return "stale";
}

std::optional<ChannelStatus> ParseChannelStatus(std::string_view name) {
  for (const auto& [value, text] : kChannelStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace mpp::protocol
