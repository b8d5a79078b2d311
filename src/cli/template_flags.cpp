#include "cli/template_flags.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <map>
#include <set>

#include <rapidjson/document.h>

#include "util/json_reader.h"
#include "util/message.h"
#include "util/stdin.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

constexpr std::size_t kMaxSchemaBytes = 1024 * 1024;

// -o response_format=... carrying the schema exactly as --schema would send it.
Result<std::string> SchemaOption(const std::string& schema_text) {
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(schema_text, kMaxSchemaBytes, doc, why) || !doc.IsObject())
    return MakeError(ErrorKind::kUsage, "the template's schema is not a JSON object");
  auto& allocator = doc.GetAllocator();
  rapidjson::Value json_schema(rapidjson::kObjectType);
  json_schema.AddMember("name", "output", allocator);
  json_schema.AddMember("schema", rapidjson::Value(doc, allocator), allocator);
  json_schema.AddMember("strict", true, allocator);
  rapidjson::Value format(rapidjson::kObjectType);
  format.AddMember("type", "json_schema", allocator);
  format.AddMember("json_schema", json_schema, allocator);
  return "response_format=" + json::ToCompact(format);
}

bool IsLocalFile(const std::string& entry) { return entry != "-" && entry.find("://") == std::string::npos; }

}  // namespace

void AddTemplateFlags(CLI::App& app, TemplateFlags& flags, bool with_save) {
  app.add_option("-t,--template", flags.name,
                 "Start from the saved template NAME (its service, model, system prompt, options); flags "
                 "given still win")
      ->type_name("NAME")
      ->group("Templates");
  app.add_option("-p,--param", flags.params,
                 "Fill $KEY in the template's system prompt and prompt (repeatable)")
      ->allow_extra_args(false)
      ->type_name("KEY VALUE")
      ->group("Templates");
  if (with_save) {
    app.add_option("--save", flags.save,
                   "Save these flags (service, model, system prompt, options, schema, -f files) as the "
                   "template NAME and exit, calling nothing")
        ->type_name("NAME")
        ->group("Templates");
  }
}

Status ApplyTemplate(const ChatTemplate& chat_template, std::string_view name,
                     const std::vector<std::pair<std::string, std::string>>& params, bool fill,
                     ServiceFlags& service, RequestFlags& request) {
  const ChatTemplate& t = chat_template;
  std::map<std::string, std::string> values(params.begin(), params.end());
  std::set<std::string> used;
  auto filled = [&](const std::optional<std::string>& text) -> Result<std::optional<std::string>> {
    if (!text || !fill) return text;
    auto out = FillPlaceholders(*text, values, name, used);
    if (!out) return out.error();
    return std::optional<std::string>(std::move(*out));
  };
  auto system = filled(t.system);
  if (!system) return system.error();
  auto prompt = filled(t.prompt);
  if (!prompt) return prompt.error();
  for (const auto& [key, value] : values) {
    if (fill && used.count(key) == 0) {
      return MakeError(ErrorKind::kUsage, "-p " + DisplayText(key, 64) + ": the template '" +
                                              std::string(name) + "' has no $" + DisplayText(key, 64) +
                                              " to fill");
    }
  }

  if (service.service.empty() && service.url.empty() && service.base_url.empty()) {
    service.service = t.service;
    service.url = t.url;
    service.base_url = t.base_url;
  }
  if (request.model.empty()) request.model = t.model;
  if (!request.system) request.system = std::move(*system);
  if (*prompt && !prompt->value().empty()) request.prompt.insert(request.prompt.begin(), prompt->value());
  ApplyPresetUnder(t.request, request);
  if (t.schema && request.schema_file.empty()) {
    auto option = SchemaOption(*t.schema);
    if (!option) return option.error();
    // Before the template's and the flags' options: an explicit -o response_format=... still wins.
    request.options.insert(request.options.begin(), std::move(*option));
  }
  request.no_stream = request.no_stream || t.no_stream;
  request.files.insert(request.files.begin(), t.files.begin(), t.files.end());
  return {};
}

Result<ChatTemplate> TemplateFromFlags(const ServiceFlags& service, const RequestFlags& request) {
  ChatTemplate t;
  t.service = service.service;
  t.url = service.url;
  t.base_url = service.base_url;
  t.model = request.model;
  t.system = request.system;
  if (!request.prompt.empty()) {
    std::string prompt;
    for (const auto& word : request.prompt) prompt += (prompt.empty() ? "" : " ") + word;
    t.prompt = std::move(prompt);
  }
  t.request = PresetFromFlags(request);
  t.no_stream = request.no_stream;
  if (!request.schema_file.empty()) {
    std::ifstream in(request.schema_file, std::ios::binary);
    if (!in)
      return MakeError(ErrorKind::kUsage, "--schema " + request.schema_file + ": cannot read the file");
    auto text = ReadAll(in, kMaxSchemaBytes);
    if (!text)
      return MakeError(ErrorKind::kUsage, "--schema " + request.schema_file + ": " + text.error().message);
    t.schema = std::move(*text);
  }
  for (const auto& entry : request.files) {
    if (!IsLocalFile(entry)) {
      t.files.push_back(entry);
      continue;
    }
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(entry, ec);
    if (ec) return MakeError(ErrorKind::kUsage, "-f " + entry + ": " + ec.message());
    t.files.push_back(absolute.lexically_normal().string());
  }
  return t;
}

Status ApplyTemplateFlags(const TemplateFlags& flags, ServiceFlags& service, RequestFlags& request,
                          const wallet::EnvLookup& env) {
  if (flags.name.empty()) {
    if (!flags.params.empty())
      return MakeError(ErrorKind::kUsage, "-p fills a template's $KEY placeholders: give -t NAME too");
    return {};
  }
  const bool saving = !flags.save.empty();
  if (saving && !flags.params.empty()) {
    return MakeError(ErrorKind::kUsage, "--save keeps the template's $KEY placeholders as they are: drop -p");
  }
  auto loaded = LoadTemplate(flags.name, env);
  if (!loaded) return loaded.error();
  const bool service_pinned = !loaded->service.empty() || !loaded->url.empty();
  const bool service_used =
      service_pinned && service.service.empty() && service.url.empty() && service.base_url.empty();
  const bool model_used = !loaded->model.empty() && request.model.empty();
  if (auto applied = ApplyTemplate(*loaded, flags.name, flags.params, !saving, service, request); !applied)
    return applied;
  std::string pinned;
  if (service_used)
    pinned += "service " + DisplayText(loaded->url.empty() ? loaded->service : loaded->url, 200);
  if (model_used) pinned += (pinned.empty() ? "model " : ", model ") + DisplayText(loaded->model, 200);
  msg::Verbose("template '" + flags.name + "'" +
               (pinned.empty() ? std::string() : ": " + pinned + " (its price applies)"));
  return {};
}

Status SaveTemplateFlags(const TemplateFlags& flags, const ServiceFlags& service, const RequestFlags& request,
                         const wallet::EnvLookup& env) {
  auto t = TemplateFromFlags(service, request);
  if (!t) return t.error();
  auto saved = SaveTemplate(flags.save, *t, env);
  if (!saved) return saved.error();
  msg::Info("saved template '" + flags.save + "' to " + saved->string());
  return {};
}

}  // namespace mpp::cli
