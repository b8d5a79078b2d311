#include "cli/model_settings.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "util/files.h"
#include "util/message.h"
#include "util/text.h"
#include "wallet/paths.h"
#include "wallet/trust.h"

namespace mpp::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxModelSettingsBytes = 1 << 20;

bool IsAliasChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

Error SettingsError(const std::string& where, const std::string& text) {
  return MakeError(ErrorKind::kUsage, where + ": " + text);
}

// A [defaults] or [aliases] table: names to model ids.
Status ReadNameTable(const toml::node& node, const std::string& table_name, const std::string& source,
                     std::map<std::string, std::string>& out) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return SettingsError(TomlWhere(source, node), "'" + table_name + "' must be a table");
  for (const auto& [key, value] : *table) {
    const std::string where = TomlWhere(source, value);
    const std::string name(key.str());
    if (table_name == "aliases") {
      if (auto checked = CheckAliasName(name); !checked) return SettingsError(where, checked.error().message);
    }
    const auto* text = value.as_string();
    if (text == nullptr) {
      return SettingsError(
          where, "'" + table_name + "." + DisplayText(name, 64) + "' must be a model id in double quotes");
    }
    if (auto checked = CheckModelId(text->get(), table_name + "." + DisplayText(name, 64)); !checked)
      return SettingsError(where, checked.error().message);
    out[name] = text->get();
  }
  return {};
}

Status ReadOptionsTable(const toml::node& node, const std::string& source,
                        std::map<std::string, RequestPreset>& out) {
  const toml::table* models = node.as_table();
  if (models == nullptr)
    return SettingsError(TomlWhere(source, node),
                         "'options' must hold tables, e.g. [options.\"gpt-4o-mini\"]");
  for (const auto& [model_key, model_node] : *models) {
    const std::string model(model_key.str());
    const std::string where = TomlWhere(source, model_node);
    if (auto checked = CheckModelId(model, "options"); !checked)
      return SettingsError(where, checked.error().message);
    const toml::table* table = model_node.as_table();
    if (table == nullptr)
      return SettingsError(where,
                           "'options." + DisplayText(model, 64) + "' must be a table of request options");
    RequestPreset preset;
    for (const auto& [key, value] : *table) {
      auto read = ReadPresetKey(key.str(), value, preset, TomlWhere(source, value));
      if (!read) return read.error();
      if (!*read) {
        return SettingsError(TomlWhere(source, value), "unknown key 'options." + DisplayText(model, 64) +
                                                           "." + DisplayText(key.str(), 64) +
                                                           "' (known: " + PresetKeyNames() + ")");
      }
    }
    out[model] = std::move(preset);
  }
  return {};
}

toml::table NameTable(const std::map<std::string, std::string>& names) {
  toml::table table;
  for (const auto& [name, model] : names) table.insert_or_assign(name, model);
  return table;
}

}  // namespace

Status CheckAliasName(std::string_view name) {
  if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), IsAliasChar)) {
    return MakeError(ErrorKind::kUsage, "alias " + DisplayText(name, 80) +
                                            ": an alias is 1 to 64 letters, digits, '.', '_' or '-'");
  }
  return {};
}

Status CheckModelId(std::string_view model, std::string_view what) {
  bool clean = std::none_of(model.begin(), model.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
  if (model.empty() || model.size() > 200 || !clean) {
    return MakeError(ErrorKind::kUsage, std::string(what) + ": '" + DisplayText(model, 80) +
                                            "' is not a model id (1 to 200 bytes, no spaces or control "
                                            "characters)");
  }
  return {};
}

Result<ModelSettings> ParseModelSettings(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(source));
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return MakeError(ErrorKind::kUsage, source + " line " + std::to_string(at.line) + ", column " +
                                            std::to_string(at.column) + ": " +
                                            DisplayText(e.description(), 200) + " (not valid TOML)");
  }
  ModelSettings settings;
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    Status read;
    if (name == "defaults") {
      read = ReadNameTable(node, name, source, settings.defaults);
    } else if (name == "aliases") {
      read = ReadNameTable(node, name, source, settings.aliases);
    } else if (name == "options") {
      read = ReadOptionsTable(node, source, settings.options);
    } else {
      read = SettingsError(TomlWhere(source, node),
                           "unknown key '" + DisplayText(name, 64) + "' (known: defaults, aliases, options)");
    }
    if (!read) return read.error();
  }
  return settings;
}

std::string RenderModelSettings(const ModelSettings& settings) {
  toml::table root;
  if (!settings.defaults.empty()) root.insert_or_assign("defaults", NameTable(settings.defaults));
  if (!settings.aliases.empty()) root.insert_or_assign("aliases", NameTable(settings.aliases));
  if (!settings.options.empty()) {
    toml::table options;
    for (const auto& [model, preset] : settings.options) {
      toml::table table;
      WritePreset(preset, table);
      options.insert_or_assign(model, std::move(table));
    }
    root.insert_or_assign("options", std::move(options));
  }
  std::ostringstream out;
  out << "# mpp model defaults, aliases and options (see mpp-config(5)). 'mpp models default' and\n"
         "# 'mpp models alias' rewrite this file: comments here are not kept.\n"
      << TomlText(root) << "\n";
  return out.str();
}

Result<fs::path> ModelSettingsFile(const wallet::EnvLookup& env) {
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return paths.error();
  return paths->config_dir / "models.toml";
}

Result<ModelSettings> LoadModelSettings(const wallet::EnvLookup& env) {
  auto file = ModelSettingsFile(env);
  if (!file) return ModelSettings{};
  struct stat st {};
  if (::stat(file->c_str(), &st) != 0) {
    if (errno == ENOENT) return ModelSettings{};
    return files::SystemError(ErrorKind::kUsage, "cannot read", *file, errno);
  }
  if (auto owned = wallet::CheckControlledByUser(st.st_mode, st.st_uid, ::geteuid(), *file, "models.toml");
      !owned) {
    return owned.error();
  }
  auto text = files::ReadCapped(*file, kMaxModelSettingsBytes, ErrorKind::kUsage);
  if (!text) return text.error();
  return ParseModelSettings(*text, file->string());
}

Result<fs::path> SaveModelSettings(const ModelSettings& settings, const wallet::EnvLookup& env) {
  auto file = ModelSettingsFile(env);
  if (!file) return file.error();
  if (auto made = wallet::EnsurePrivateDirectory(file->parent_path()); !made) return made.error();
  if (auto written = files::WriteAtomic(*file, RenderModelSettings(settings), files::ExistingFile::kReplace,
                                        0600, ErrorKind::kWallet);
      !written) {
    return written.error();
  }
  return *file;
}

std::vector<std::string> ApplyModelSettings(const ModelSettings& settings, llm::Service& service,
                                            RequestFlags& request) {
  std::vector<std::string> notes;
  auto resolve = [&settings](const std::string& model) -> const std::string* {
    auto it = settings.aliases.find(model);
    return it == settings.aliases.end() ? nullptr : &it->second;
  };
  if (!request.model.empty()) {
    if (const std::string* target = resolve(request.model)) {
      notes.push_back("model alias '" + request.model + "' is " + *target);
      request.model = *target;
    }
  } else if (auto it = settings.defaults.find(service.name); it != settings.defaults.end()) {
    const std::string* target = resolve(it->second);
    service.default_model = target != nullptr ? *target : it->second;
    notes.push_back("default model for " + service.name + ": " + service.default_model + " (models.toml)");
  }
  const std::string& model = request.model.empty() ? service.default_model : request.model;
  if (auto it = settings.options.find(model); it != settings.options.end()) {
    ApplyPresetUnder(it->second, request);
    notes.push_back("default options for model " + model + " (models.toml)");
  }
  return notes;
}

Status ApplyModelSettingsFile(llm::Service& service, RequestFlags& request, const wallet::EnvLookup& env) {
  auto settings = LoadModelSettings(env);
  if (!settings) return settings.error();
  for (const auto& note : ApplyModelSettings(*settings, service, request))
    msg::Verbose(DisplayText(note, 400));
  return {};
}

}  // namespace mpp::cli
