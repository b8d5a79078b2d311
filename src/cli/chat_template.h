// Chat templates: a saved system prompt, prompt prefix, service, model and request settings, one TOML
// file per name under <config dir>/templates/NAME.toml (`mpp chat --save NAME`, `-t NAME`,
// `mpp templates`). $KEY placeholders in the system prompt and the prompt are filled by -p KEY VALUE.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/request_preset.h"
#include "util/error.h"
#include "util/u256.h"
#include "wallet/env.h"

namespace mpp::cli {

// What the last paid call made with a template paid (recorded after it; compared by --max-drift).
struct PaidPrice {
  U256 amount;           // base units; TOML: last_price, in token units ("0.001")
  std::string currency;  // last_price_currency: the token address
  std::string intent;    // last_price_intent: "charge" or "session" (a session's per-request price)
};

struct ChatTemplate {
  std::string service;   // --service; empty: not pinned
  std::string url;       // --url
  std::string base_url;  // --base-url
  std::string model;
  std::optional<std::string> system;
  std::optional<std::string> prompt;  // goes before the prompt words given with -t
  RequestPreset request;
  std::optional<std::string> schema;  // the JSON Schema itself, not its file name
  bool no_stream = false;
  std::vector<std::string> files;  // -f entries: absolute paths, URLs or "-"
  std::optional<PaidPrice> last_price;
};

// Refuses (kUsage) a name that is not 1 to 64 of [A-Za-z0-9_-]; `what` names it ("--save", "-t").
Status CheckTemplateName(std::string_view name, std::string_view what);

// <config dir>/templates (see wallet::ResolvePaths).
Result<std::filesystem::path> TemplatesDir(const wallet::EnvLookup& env);

// Parses a template file's text; `source` names it in messages. Refuses (kUsage, naming the line) bad
// TOML, keys other than service, url, base_url, model, system, prompt, schema, no_stream, files, last_price,
// last_price_currency, last_price_intent and the
// preset keys (PresetKeyNames), values of the wrong type, and a schema that is not a JSON object. Pure.
Result<ChatTemplate> ParseTemplateText(std::string_view text, const std::string& source);

// The template as TOML that ParseTemplateText reads back to the same values, with a comment line first.
std::string RenderTemplateToml(const ChatTemplate& chat_template);

// The template file of `name` in `dir`.
std::filesystem::path TemplateFile(const std::filesystem::path& dir, std::string_view name);

// Reads and parses the template `name`. kUsage when there is no such template (saying how to list and
// save them) or it does not parse; kWallet when another user controls the file.
Result<ChatTemplate> LoadTemplate(std::string_view name, const wallet::EnvLookup& env);

// Writes the template `name` atomically, mode 0600, creating the directory 0700; returns its path.
Result<std::filesystem::path> SaveTemplate(std::string_view name, const ChatTemplate& chat_template,
                                           const wallet::EnvLookup& env);

// The saved templates' names, sorted; none when the directory does not exist.
Result<std::vector<std::string>> ListTemplates(const wallet::EnvLookup& env);

// `text` with each $KEY (KEY: a letter or '_', then letters, digits, '_') replaced by params[KEY] and
// "$$" by "$"; a '$' before anything else stays. Adds each KEY used to `used`. Refuses (kUsage) a KEY
// that `params` lacks, naming it, the template and the -p KEY VALUE that fills it. Pure.
Result<std::string> FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& params,
                                     std::string_view template_name, std::set<std::string>& used);

}  // namespace mpp::cli
