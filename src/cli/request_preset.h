// Request settings kept in files rather than flags (a chat template, a model's default options in
// models.toml): the sampling and -o fields of RequestFlags, read from and written to TOML, and applied
// under whatever the flags already set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "cli/request_flags.h"
#include "util/error.h"

namespace mpp::cli {

struct RequestPreset {
  std::optional<std::int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> seed;
  std::vector<std::string> stops;
  std::vector<std::string> options;  // KEY=VALUE, as -o takes them

  bool empty() const {
    return !max_tokens && !temperature && !top_p && !seed && stops.empty() && options.empty();
  }
};

// The keys ReadPresetKey takes, for messages: "max_tokens, temperature, top_p, seed, stop, options".
std::string PresetKeyNames();

// Reads `node`, the value of `key`, into `preset` when `key` is one of PresetKeyNames(): true when it
// was, false when the key is not a preset key. Refuses (kUsage, naming `where`) a value of the wrong
// type: max_tokens and seed are integers, temperature and top_p numbers, stop and options arrays of
// strings (each option holding a '=').
Result<bool> ReadPresetKey(std::string_view key, const toml::node& node, RequestPreset& preset,
                           const std::string& where);

// Adds the preset's set fields to `table` under the keys ReadPresetKey reads.
void WritePreset(const RequestPreset& preset, toml::table& table);

// The preset part of the flags as given.
RequestPreset PresetFromFlags(const RequestFlags& flags);

// Fills the fields `flags` leave unset (stop only when no --stop was given); the preset's options go
// before the flags' own, so that a -o given on the command line wins over the same key here.
void ApplyPresetUnder(const RequestPreset& preset, RequestFlags& flags);

// `table` as TOML text, numbers in their short form (0.2, not 0.20000000000000001).
std::string TomlText(const toml::table& table);

// "<source> line N" for a node that toml++ parsed from `source`.
std::string TomlWhere(const std::string& source, const toml::node& node);

}  // namespace mpp::cli
