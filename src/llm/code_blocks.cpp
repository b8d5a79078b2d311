#include "llm/code_blocks.h"

#include <cstddef>
#include <vector>

namespace mpp::llm {
namespace {

struct Fence {
  char marker = 0;
  std::size_t length = 0;
};

// The line without its '\n' (and a '\r' before it).
std::string_view LineBody(std::string_view line) {
  if (line.ends_with('\n')) line.remove_suffix(1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

std::size_t LeadingSpaces(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

std::optional<Fence> OpeningFence(std::string_view line) {
  line = LineBody(line);
  std::size_t indent = LeadingSpaces(line);
  if (indent > 3 || indent >= line.size()) return std::nullopt;
  char marker = line[indent];
  if (marker != '`' && marker != '~') return std::nullopt;
  std::size_t length = 0;
  while (indent + length < line.size() && line[indent + length] == marker) ++length;
  if (length < 3) return std::nullopt;
  std::string_view info = line.substr(indent + length);
  if (marker == '`' && info.find('`') != std::string_view::npos) return std::nullopt;
  return Fence{marker, length};
}

bool ClosesFence(std::string_view line, const Fence& fence) {
  line = LineBody(line);
  std::size_t indent = LeadingSpaces(line);
  if (indent > 3) return false;
  std::size_t length = 0;
  while (indent + length < line.size() && line[indent + length] == fence.marker) ++length;
  if (length < fence.length) return false;
  return line.find_first_not_of(' ', indent + length) == std::string_view::npos;
}

}  // namespace

std::optional<std::string> ExtractFencedCode(std::string_view text, bool last) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  std::optional<std::string> found;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto fence = OpeningFence(lines[i]);
    if (!fence) continue;
    std::string code;
    std::size_t j = i + 1;
    for (; j < lines.size() && !ClosesFence(lines[j], *fence); ++j) code += lines[j];
    if (!code.empty() && !code.ends_with('\n')) code += '\n';
    found = std::move(code);
    if (!last) return found;
    i = j;  // past the closing fence (or the end)
  }
  return found;
}

}  // namespace mpp::llm
