#include "cli/models.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/chat_render.h"
#include "cli/config.h"
#include "cli/http_error.h"
#include "cli/model_settings.h"
#include "cli/output_sink.h"
#include "cli/pay_context.h"
#include "cli/service_flags.h"
#include "llm/envelope.h"
#include "llm/json_text.h"
#include "llm/model_list.h"
#include "util/json_reader.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

struct ModelsOptions {
  ServiceFlags service;
  bool json = false;
  PaymentFlags payment;
  // models default / alias / aliases
  std::string default_service;
  std::string settings_config;
  bool unset = false;
  std::string alias;
  std::string model;
  bool remove = false;
};

using ModelsRun = Status (*)(const ModelsOptions&, Io&, const Services&);

// The listing request: --url as given (GET), else the service's models path and method.
Result<net::HttpRequest> ModelsRequest(const ModelsOptions& o, const llm::Service& service) {
  net::HttpRequest request;
  request.headers.push_back({"Accept", "application/json"});
  if (!o.service.url.empty()) {
    request.url = o.service.url;
    return request;
  }
  auto url = llm::ModelsUrl(service);
  if (!url) {
    return MakeError(ErrorKind::kUsage, "the service '" + service.name +
                                            "' has no models listing; set services." + service.name +
                                            ".models_path in the config file, or give the listing's --url");
  }
  request.url = std::move(*url);
  request.method = service.models_method;
  if (request.method == "POST") {
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = "{}";
  }
  return request;
}

// {"object":"list","source":"built-in","service":NAME,"data":[{"id":ID,"object":"model"},...]} + '\n'.
std::string BuiltinListJson(const llm::Service& service) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& allocator = doc.GetAllocator();
  rapidjson::Value data(rapidjson::kArrayType);
  for (const auto& id : service.builtin_models) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("id", llm::StringValue(id, allocator), allocator);
    item.AddMember("object", "model", allocator);
    data.PushBack(item, allocator);
  }
  doc.AddMember("object", "list", allocator);
  doc.AddMember("source", "built-in", allocator);
  doc.AddMember("service", llm::StringValue(service.name, allocator), allocator);
  doc.AddMember("data", data, allocator);
  return json::ToCompact(doc) + "\n";
}

// A service with no listing route: the ids mpp ships for it. Nothing is sent or paid.
Status PrintBuiltinList(const ModelsOptions& o, const llm::Service& service, Io& io) {
  msg::Info("'" + service.name +
            "' has no models listing route; these are mpp's built-in model ids for it, which may be out "
            "of date");
  OutputSink out(io.out);
  if (o.json) {
    out.Write(BuiltinListJson(service));
  } else {
    out.Write(RenderModelList(service.builtin_models));
  }
  return {};
}

Status Run(const ModelsOptions& o, Io& io, const Services& services) {
  auto target = ResolveServiceTarget(o.service, o.payment, services.env);
  if (!target) return target.error();
  const llm::Service* service = &target->service;
  if (o.service.url.empty() && !llm::ModelsUrl(*service) && !service->builtin_models.empty()) {
    return PrintBuiltinList(o, *service, io);
  }
  const PaymentSettings* settings = &target->settings;
  auto request = ModelsRequest(o, *service);
  if (!request) return request.error();
  auto context = PayContext::Open(*settings, services);
  if (!context) return context.error();
  (*context)->ReconcileEarlierPayments();

  // A paid listing goes through the same caps, budget and journal as chat.
  auto result = (*context)->flow().Perform(*request, nullptr);
  if (!result) return result.error();
  const net::HttpResponse& response = result->response;
  if (!IsSuccess(response)) return UnpaidAnswerError(response, request->url);
  if (result->payment && (msg::Verbosity() > 0 || io.stderr_is_tty))
    msg::Info(PaymentSummaryLine(*result->payment));
  OutputSink out(io.out);
  auto written = [&]() -> Status {
    if (out.failure().empty()) return {};
    if (result->payment) return (*context)->AnswerLost(*result->payment, out.failure());
    return MakeError(ErrorKind::kUnexpected, out.failure());
  };
  if (o.json) {
    // The listing as the service sent it, out of the gateway's envelope when there is one.
    std::optional<std::string> inner;
    if (service->success_envelope) inner = llm::UnwrapSuccessEnvelope(response.body);
    const std::string& listing = inner ? *inner : response.body;
    out.Write(listing);
    if ((inner || io.stdout_is_tty) && !listing.ends_with('\n')) out.Write("\n");
    return written();
  }
  auto ids = llm::ParseModelList(response.body, service->success_envelope);
  if (!ids) {
    std::string text = "the model listing from " + request->url + " is unreadable: " + ids.error().message;
    if (result->payment) text += " (" + PaymentSummaryLine(*result->payment) + "; --json shows it as sent)";
    return MakeError(ErrorKind::kNetwork, text);
  }
  out.Write(RenderModelList(*ids));
  return written();
}

Status WriteModelsLine(Io& io, const std::string& line) {
  OutputSink out(io.out);
  out.Write(line + "\n");
  if (!out.failure().empty()) return MakeError(ErrorKind::kUnexpected, out.failure());
  return {};
}

Status SaveSettingsSaying(const ModelSettings& settings, const std::string& what, const Services& services) {
  auto saved = SaveModelSettings(settings, services.env);
  if (!saved) return saved.error();
  msg::Info(what + " (" + saved->string() + ")");
  return {};
}

// mpp models default [MODEL] [--service NAME] [--unset]: per service, in models.toml.
Status RunDefault(const ModelsOptions& o, Io& io, const Services& services) {
  if (o.unset && !o.model.empty()) return MakeError(ErrorKind::kUsage, "--unset takes no MODEL");
  auto config = LoadConfig(o.settings_config, services.env);
  if (!config) return config.error();
  ServiceFlags flags;
  flags.service = o.default_service;
  auto service = ResolveService(flags, *config);
  if (!service) return service.error();
  auto settings = LoadModelSettings(services.env);
  if (!settings) return settings.error();
  const std::string& name = service->name;
  if (o.unset) {
    if (settings->defaults.erase(name) == 0) {
      msg::Info("no default model was set for " + name);
      return {};
    }
    return SaveSettingsSaying(*settings, "removed the default model for " + name, services);
  }
  if (!o.model.empty()) {
    if (auto checked = CheckModelId(o.model, "models default"); !checked) return checked;
    settings->defaults[name] = o.model;
    return SaveSettingsSaying(*settings, "the default model for " + name + " is " + o.model, services);
  }
  if (auto it = settings->defaults.find(name); it != settings->defaults.end()) {
    msg::Verbose("the default model for " + name + ", from models.toml");
    return WriteModelsLine(io, DisplayText(it->second, 200));
  }
  if (!service->default_model.empty()) {
    msg::Verbose("the default model for " + name + ", built in or from config.toml");
    return WriteModelsLine(io, DisplayText(service->default_model, 200));
  }
  msg::Info("no default model for " + name + " (set one with: mpp models default MODEL --service " + name +
            ")");
  return {};
}

// mpp models alias NAME [MODEL] [--remove]
Status RunAlias(const ModelsOptions& o, Io& io, const Services& services) {
  if (auto checked = CheckAliasName(o.alias); !checked) return checked;
  if (o.remove && !o.model.empty()) return MakeError(ErrorKind::kUsage, "--remove takes no MODEL");
  auto settings = LoadModelSettings(services.env);
  if (!settings) return settings.error();
  if (o.model.empty()) {
    auto it = settings->aliases.find(o.alias);
    if (it == settings->aliases.end()) {
      return MakeError(ErrorKind::kUsage, "no alias '" + o.alias + "' ('mpp models aliases' lists them)");
    }
    if (!o.remove) return WriteModelsLine(io, DisplayText(it->second, 200));
    settings->aliases.erase(it);
    return SaveSettingsSaying(*settings, "removed the alias " + o.alias, services);
  }
  if (auto checked = CheckModelId(o.model, "models alias"); !checked) return checked;
  settings->aliases[o.alias] = o.model;
  return SaveSettingsSaying(*settings, "-m " + o.alias + " is now " + o.model, services);
}

// mpp models aliases: "NAME  MODEL" lines, names aligned.
Status RunAliases(const ModelsOptions&, Io& io, const Services& services) {
  auto settings = LoadModelSettings(services.env);
  if (!settings) return settings.error();
  std::size_t width = 0;
  for (const auto& entry : settings->aliases) width = std::max(width, entry.first.size());
  OutputSink out(io.out);
  for (const auto& [alias, model] : settings->aliases) {
    out.Write(alias + std::string(width - alias.size() + 2, ' ') + DisplayText(model, 200) + "\n");
  }
  if (!out.failure().empty()) return MakeError(ErrorKind::kUnexpected, out.failure());
  return {};
}

void AddModelsSubcommands(CLI::App& sub, ModelsOptions& o, const std::shared_ptr<ModelsRun>& chosen) {
  sub.require_subcommand(0, 1);
  CLI::App* set_default = sub.add_subcommand("default", "Print or set the model used when no -m names one");
  set_default->add_option("model", o.model, "The model to use by default (omit to print the current one)");
  set_default->add_option("--service", o.default_service,
                          "The service this default is for (default: the config's service, else groq)");
  set_default->add_option("--config", o.settings_config, "Config file (env MPP_CONFIG)");
  set_default->add_flag("--unset", o.unset, "Forget the default set for the service");
  set_default->footer(
      "Examples:\n"
      "  mpp models default --service groq llama-3.1-8b-instant\n"
      "  mpp models default --service groq");
  set_default->final_callback([chosen] { *chosen = RunDefault; });

  CLI::App* alias = sub.add_subcommand("alias", "Print, set or remove a model alias for -m");
  alias->add_option("name", o.alias, "The alias, as given to -m")->required();
  alias->add_option("model", o.model, "The model id it stands for (omit to print it)");
  alias->add_flag("--remove", o.remove, "Remove the alias");
  alias->footer(
      "Examples:\n"
      "  mpp models alias fast llama-3.1-8b-instant && mpp chat -m fast \"hi\"\n"
      "  mpp models alias fast --remove");
  alias->final_callback([chosen] { *chosen = RunAlias; });

  CLI::App* aliases = sub.add_subcommand("aliases", "List the model aliases: NAME, then MODEL");
  aliases->footer("Examples:\n  mpp models aliases");
  aliases->final_callback([chosen] { *chosen = RunAliases; });
}

}  // namespace

Action SetupModels(CLI::App& sub) {
  auto options = std::make_shared<ModelsOptions>();
  auto chosen = std::make_shared<ModelsRun>(nullptr);
  AddServiceFlags(sub, options->service,
                  "The models listing endpoint (full URL, GET) instead of a service's");
  sub.add_flag("--json", options->json,
               "Write the service's listing as JSON: as sent, out of a Locus envelope; a built-in list "
               "is marked \"source\":\"built-in\"");
  AddPaymentFlags(sub, options->payment);
  AddModelsSubcommands(sub, *options, chosen);
  sub.footer(
      "One model id per line on stdout. Where the listing is paid (groq), it is paid like a chat call\n"
      "(same caps, budget and journal). Services with no listing route (grok, openrouter, openai)\n"
      "print mpp's built-in ids for them, with a note on stderr; nothing is sent.\n"
      "'mpp models default' and 'mpp models alias' keep a default model per service and aliases for -m\n"
      "in <config dir>/models.toml, with per-model default options (see mpp-config(5)).\n"
      "\n"
      "Examples:\n"
      "  mpp models --service groq\n"
      "  mpp models --service groq --json | jq '.data[].id'\n"
      "  mpp models --url https://openai.mpp.tempo.xyz/v1/models\n"
      "  mpp models alias fast llama-3.1-8b-instant && mpp models default --service groq fast");
  return [options, chosen](Io& io, const Services& services) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    if (*chosen != nullptr) return (*chosen)(*options, io, services);
    return Run(*options, io, services);
  };
}

}  // namespace mpp::cli
