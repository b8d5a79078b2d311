#include "cli/chat_template.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include <rapidjson/document.h>

#include "util/amount.h"
#include "util/files.h"
#include "util/json_reader.h"
#include "util/text.h"
#include "wallet/paths.h"
#include "wallet/trust.h"

namespace mpp::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxTemplateBytes = 1 << 20;
constexpr const char* kTemplateKeys =
    "service, url, base_url, model, system, prompt, schema, no_stream, files, last_price, "
    "last_price_currency, last_price_intent";

bool IsTemplateNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool IsPlaceholderStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsPlaceholderChar(char c) { return IsPlaceholderStart(c) || (c >= '0' && c <= '9'); }

Error TemplateTypeError(const std::string& where, std::string_view key, const char* expected) {
  return MakeError(ErrorKind::kUsage, where + ": '" + std::string(key) + "' must be " + expected);
}

// Reads one key of the template's own (not a preset key); false when it is not one.
Result<bool> ReadTemplateKey(std::string_view key, const toml::node& node, ChatTemplate& t,
                             const std::string& where) {
  std::string* text_field = key == "service"    ? &t.service
                            : key == "url"      ? &t.url
                            : key == "base_url" ? &t.base_url
                            : key == "model"    ? &t.model
                                                : nullptr;
  std::optional<std::string>* optional_field = key == "system"   ? &t.system
                                               : key == "prompt" ? &t.prompt
                                               : key == "schema" ? &t.schema
                                                                 : nullptr;
  if (text_field != nullptr || optional_field != nullptr) {
    const auto* text = node.as_string();
    if (text == nullptr) return TemplateTypeError(where, key, "a string in double quotes");
    if (text_field != nullptr) *text_field = text->get();
    if (optional_field != nullptr) *optional_field = text->get();
    return true;
  }
  if (key == "no_stream") {
    if (!node.is_boolean()) return TemplateTypeError(where, key, "true or false");
    t.no_stream = node.as_boolean()->get();
    return true;
  }
  if (key == "last_price" || key == "last_price_currency" || key == "last_price_intent") {
    const auto* text = node.as_string();
    if (text == nullptr) return TemplateTypeError(where, key, "a string in double quotes");
    if (!t.last_price) t.last_price = PaidPrice{U256(), "", "charge"};
    if (key == "last_price") {
      auto amount = ParseTokenAmount(text->get());
      if (!amount) return TemplateTypeError(where, key, "an amount in token units (e.g. \"0.001\")");
      t.last_price->amount = *amount;
    } else if (key == "last_price_currency") {
      t.last_price->currency = text->get();
    } else {
      if (text->get() != "charge" && text->get() != "session")
        return TemplateTypeError(where, key, "\"charge\" or \"session\"");
      t.last_price->intent = text->get();
    }
    return true;
  }
  if (key == "files") {
    const toml::array* array = node.as_array();
    if (array == nullptr) return TemplateTypeError(where, key, "an array of strings");
    for (const auto& item : *array) {
      if (!item.is_string()) return TemplateTypeError(where, key, "an array of strings");
      t.files.push_back(item.as_string()->get());
    }
    return true;
  }
  return false;
}

Status CheckSchema(const std::string& schema, const std::string& where) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(schema, kMaxTemplateBytes, doc, why))
    return MakeError(ErrorKind::kUsage, where + ": 'schema' is not valid JSON (" + why + ")");
  if (!doc.IsObject()) return MakeError(ErrorKind::kUsage, where + ": 'schema' must be a JSON object");
  return {};
}

}  // namespace

Status CheckTemplateName(std::string_view name, std::string_view what) {
  if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), IsTemplateNameChar)) {
    return MakeError(ErrorKind::kUsage, std::string(what) + " " + DisplayText(name, 80) +
                                            ": a template name is 1 to 64 letters, digits, '_' or '-'");
  }
  return {};
}

Result<fs::path> TemplatesDir(const wallet::EnvLookup& env) {
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return paths.error();
  return paths->config_dir / "templates";
}

fs::path TemplateFile(const fs::path& dir, std::string_view name) {
  return dir / (std::string(name) + ".toml");
}

Result<ChatTemplate> ParseTemplateText(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(source));
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return MakeError(ErrorKind::kUsage, "template " + source + " line " + std::to_string(at.line) +
                                            ", column " + std::to_string(at.column) + ": " +
                                            DisplayText(e.description(), 200) + " (not valid TOML)");
  }
  ChatTemplate t;
  for (const auto& [key, node] : root) {
    const std::string where = "template " + TomlWhere(source, node);
    auto own = ReadTemplateKey(key.str(), node, t, where);
    if (!own) return own.error();
    if (*own) continue;
    auto preset = ReadPresetKey(key.str(), node, t.request, where);
    if (!preset) return preset.error();
    if (!*preset) {
      return MakeError(ErrorKind::kUsage, where + ": unknown key '" + DisplayText(key.str(), 100) +
                                              "' (known: " + kTemplateKeys + ", " + PresetKeyNames() + ")");
    }
  }
  if (t.schema) {
    if (auto checked = CheckSchema(*t.schema, "template " + source); !checked) return checked.error();
  }
  return t;
}

std::string RenderTemplateToml(const ChatTemplate& chat_template) {
  const ChatTemplate& t = chat_template;
  toml::table table;
  auto put = [&table](const char* key, const std::string& value) {
    if (!value.empty()) table.insert_or_assign(key, value);
  };
  put("service", t.service);
  put("url", t.url);
  put("base_url", t.base_url);
  put("model", t.model);
  if (t.system) table.insert_or_assign("system", *t.system);
  if (t.prompt) table.insert_or_assign("prompt", *t.prompt);
  if (t.schema) table.insert_or_assign("schema", *t.schema);
  if (t.no_stream) table.insert_or_assign("no_stream", true);
  if (!t.files.empty()) {
    toml::array files;
    for (const auto& file : t.files) files.push_back(file);
    table.insert_or_assign("files", std::move(files));
  }
  WritePreset(t.request, table);
  if (t.last_price) {
    table.insert_or_assign("last_price", FormatTokenAmount(t.last_price->amount));
    put("last_price_currency", t.last_price->currency);
    table.insert_or_assign("last_price_intent", t.last_price->intent);
  }
  std::ostringstream out;
  out << "# mpp chat template (mpp chat -t NAME; see mpp-templates(1)). $KEY is filled by -p KEY VALUE.\n"
      << TomlText(table) << "\n";
  return out.str();
}

Result<ChatTemplate> LoadTemplate(std::string_view name, const wallet::EnvLookup& env) {
  if (auto checked = CheckTemplateName(name, "-t"); !checked) return checked.error();
  auto dir = TemplatesDir(env);
  if (!dir) return dir.error();
  const fs::path file = TemplateFile(*dir, name);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return MakeError(ErrorKind::kUsage, "no template '" + std::string(name) + "' in " + dir->string() +
                                              " ('mpp templates list' shows them; 'mpp chat --save " +
                                              std::string(name) + " ...' saves one)");
    }
    return files::SystemError(ErrorKind::kUsage, "cannot read the template", file, errno);
  }
  if (auto owned = wallet::CheckControlledByUser(st.st_mode, st.st_uid, ::geteuid(), file, "the template");
      !owned) {
    return owned.error();
  }
  auto text = files::ReadCapped(file, kMaxTemplateBytes, ErrorKind::kUsage);
  if (!text) return text.error();
  return ParseTemplateText(*text, file.string());
}

Result<fs::path> SaveTemplate(std::string_view name, const ChatTemplate& chat_template,
                              const wallet::EnvLookup& env) {
  if (auto checked = CheckTemplateName(name, "--save"); !checked) return checked.error();
  auto dir = TemplatesDir(env);
  if (!dir) return dir.error();
  if (auto made = wallet::EnsurePrivateDirectory(dir->parent_path()); !made) return made.error();
  if (auto made = wallet::EnsurePrivateDirectory(*dir); !made) return made.error();
  const fs::path file = TemplateFile(*dir, name);
  if (auto written = files::WriteAtomic(file, RenderTemplateToml(chat_template),
                                        files::ExistingFile::kReplace, 0600, ErrorKind::kWallet);
      !written) {
    return written.error();
  }
  return file;
}

Result<std::vector<std::string>> ListTemplates(const wallet::EnvLookup& env) {
  auto dir = TemplatesDir(env);
  if (!dir) return dir.error();
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(*dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return names;
  if (ec) return MakeError(ErrorKind::kWallet, "cannot list " + dir->string() + ": " + ec.message());
  for (const auto& entry : it) {
    const fs::path& path = entry.path();
    if (path.extension() != ".toml") continue;
    std::string name = path.stem().string();
    if (CheckTemplateName(name, "")) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& params,
                                     std::string_view template_name, std::set<std::string>& used) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (!IsPlaceholderStart(text[i + 1])) {
      out += '$';
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() && IsPlaceholderChar(text[end])) ++end;
    std::string key(text.substr(i + 1, end - i - 1));
    auto found = params.find(key);
    if (found == params.end()) {
      return MakeError(ErrorKind::kUsage, "template '" + std::string(template_name) +
                                              "' needs a value for $" + DisplayText(key, 64) + ": give -p " +
                                              DisplayText(key, 64) + " VALUE");
    }
    out += found->second;
    used.insert(key);
    i = end - 1;
  }
  return out;
}

}  // namespace mpp::cli
