#include "cli/request_preset.h"

#include <sstream>

namespace mpp::cli {
namespace {

Error PresetTypeError(const std::string& where, std::string_view key, const char* expected) {
  return MakeError(ErrorKind::kUsage, where + ": '" + std::string(key) + "' must be " + expected);
}

Result<std::vector<std::string>> TomlStringArray(std::string_view key, const toml::node& node,
                                                 const std::string& where) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return PresetTypeError(where, key, "an array of strings, e.g. [\"a\", \"b\"]");
  std::vector<std::string> out;
  for (const auto& item : *array) {
    const auto* text = item.as_string();
    if (text == nullptr) return PresetTypeError(where, key, "an array of strings, e.g. [\"a\", \"b\"]");
    out.push_back(text->get());
  }
  return out;
}

std::optional<double> TomlNumber(const toml::node& node) {
  if (node.is_floating_point()) return node.as_floating_point()->get();
  if (node.is_integer()) return static_cast<double>(node.as_integer()->get());
  return std::nullopt;
}

toml::array ToTomlArray(const std::vector<std::string>& items) {
  toml::array array;
  for (const auto& item : items) array.push_back(item);
  return array;
}

}  // namespace

std::string PresetKeyNames() { return "max_tokens, temperature, top_p, seed, stop, options"; }

Result<bool> ReadPresetKey(std::string_view key, const toml::node& node, RequestPreset& preset,
                           const std::string& where) {
  if (key == "max_tokens" || key == "seed") {
    if (!node.is_integer()) return PresetTypeError(where, key, "an integer");
    (key == "seed" ? preset.seed : preset.max_tokens) = node.as_integer()->get();
    return true;
  }
  if (key == "temperature" || key == "top_p") {
    auto number = TomlNumber(node);
    if (!number) return PresetTypeError(where, key, "a number");
    (key == "top_p" ? preset.top_p : preset.temperature) = *number;
    return true;
  }
  if (key == "stop" || key == "options") {
    auto items = TomlStringArray(key, node, where);
    if (!items) return items.error();
    if (key == "options") {
      for (const auto& option : *items) {
        if (option.find('=') == std::string::npos || option.front() == '=')
          return PresetTypeError(where, key, "KEY=VALUE strings, as -o takes them");
      }
    }
    (key == "stop" ? preset.stops : preset.options) = std::move(*items);
    return true;
  }
  return false;
}

void WritePreset(const RequestPreset& preset, toml::table& table) {
  if (preset.max_tokens) table.insert_or_assign("max_tokens", *preset.max_tokens);
  if (preset.temperature) table.insert_or_assign("temperature", *preset.temperature);
  if (preset.top_p) table.insert_or_assign("top_p", *preset.top_p);
  if (preset.seed) table.insert_or_assign("seed", *preset.seed);
  if (!preset.stops.empty()) table.insert_or_assign("stop", ToTomlArray(preset.stops));
  if (!preset.options.empty()) table.insert_or_assign("options", ToTomlArray(preset.options));
}

RequestPreset PresetFromFlags(const RequestFlags& flags) {
  return RequestPreset{flags.max_tokens, flags.temperature, flags.top_p,
                       flags.seed,       flags.stops,       flags.options};
}

void ApplyPresetUnder(const RequestPreset& preset, RequestFlags& flags) {
  if (!flags.max_tokens) flags.max_tokens = preset.max_tokens;
  if (!flags.temperature) flags.temperature = preset.temperature;
  if (!flags.top_p) flags.top_p = preset.top_p;
  if (!flags.seed) flags.seed = preset.seed;
  if (flags.stops.empty()) flags.stops = preset.stops;
  flags.options.insert(flags.options.begin(), preset.options.begin(), preset.options.end());
}

std::string TomlText(const toml::table& table) {
  std::ostringstream out;
  out << toml::toml_formatter(
      table, toml::toml_formatter::default_flags | toml::format_flags::relaxed_float_precision);
  return out.str();
}

std::string TomlWhere(const std::string& source, const toml::node& node) {
  return source + " line " + std::to_string(node.source().begin.line);
}

}  // namespace mpp::cli
