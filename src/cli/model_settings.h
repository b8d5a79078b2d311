// models.toml in the config directory: a default model per service, model aliases and per-model
// default request options. `mpp models default` and `mpp models alias` rewrite it (so it is a file of
// its own, and the user's config.toml, comments and all, is never rewritten); [options."MODEL"] tables
// are written by hand.
//
//   [defaults]                 service name -> model used when no -m, template or request names one
//   groq = "llama-3.3-70b-versatile"
//   [aliases]                  -m NAME -> model id (looked up once, not recursively)
//   fast = "llama-3.1-8b-instant"
//   [options."gpt-4o-mini"]    applied under the flags and the template (see cli/request_preset.h)
//   temperature = 0.2
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cli/request_flags.h"
#include "cli/request_preset.h"
#include "llm/services.h"
#include "util/error.h"
#include "wallet/env.h"

namespace mpp::cli {

struct ModelSettings {
  std::map<std::string, std::string> defaults;   // service name -> model
  std::map<std::string, std::string> aliases;    // alias -> model
  std::map<std::string, RequestPreset> options;  // model -> its default options
};

// Refuses (kUsage) an alias name that is not 1 to 64 of [A-Za-z0-9._-].
Status CheckAliasName(std::string_view name);

// Refuses (kUsage) a model id that is empty, longer than 200 bytes or holds control characters or
// spaces; `what` names it in the message.
Status CheckModelId(std::string_view model, std::string_view what);

// Parses models.toml's text; `source` names it in messages. Refuses (kUsage, naming the line) bad TOML,
// tables or keys other than the ones above, non-string defaults and aliases, bad alias names and
// model ids, and wrongly typed options. Pure.
Result<ModelSettings> ParseModelSettings(std::string_view text, const std::string& source);

// The settings as TOML that ParseModelSettings reads back to the same values.
std::string RenderModelSettings(const ModelSettings& settings);

// <config dir>/models.toml.
Result<std::filesystem::path> ModelSettingsFile(const wallet::EnvLookup& env);

// Reads models.toml; a missing file (or no config directory at all) is empty settings. kWallet for a
// file another user controls.
Result<ModelSettings> LoadModelSettings(const wallet::EnvLookup& env);

// Rewrites models.toml atomically, mode 0600; returns its path.
Result<std::filesystem::path> SaveModelSettings(const ModelSettings& settings, const wallet::EnvLookup& env);

// Applies the settings to a resolved `service` and the request flags, in this order: -m ALIAS (as
// given, or from a template) becomes its model; with no model named, the [defaults] entry for the
// service's name (itself an alias or not) replaces the service's own default model; then the
// [options] of the model the request names (else the service's default) fill what the flags and the
// template left unset. Returns what it did, one note per step, for -v. Pure.
std::vector<std::string> ApplyModelSettings(const ModelSettings& settings, llm::Service& service,
                                            RequestFlags& request);

// LoadModelSettings, then ApplyModelSettings, printing its notes with -v.
Status ApplyModelSettingsFile(llm::Service& service, RequestFlags& request, const wallet::EnvLookup& env);

}  // namespace mpp::cli
