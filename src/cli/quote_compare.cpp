#include "cli/quote_compare.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include "cli/chat_call.h"
#include "cli/chat_inputs.h"
#include "cli/http_error.h"
#include "cli/model_settings.h"
#include "cli/pay_context.h"
#include "cli/quote_judge.h"
#include "cli/service_flags.h"
#include "llm/request.h"
#include "mpp/selection.h"
#include "util/amount.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

// What a comparison sends when there is no prompt at all (as a single quote does).
constexpr const char* kComparePlaceholder = "hello";

// One service and model to probe, prepared before the probes start.
struct ProbeTask {
  std::string service;
  std::string given_model;  // the -m value; empty: the service's default
  std::string model;        // what the request names
  std::string url;
  PaymentSettings settings;
  net::HttpRequest request;
  std::unique_ptr<PayContext> context;
  std::optional<CompareRow> row;  // set when preparing already failed
};

std::vector<std::string> SplitModels(const std::string& joined) {
  std::vector<std::string> models;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('\n', start);
    if (end == std::string::npos) end = joined.size();
    std::string model = joined.substr(start, end - start);
    if (std::find(models.begin(), models.end(), model) == models.end()) models.push_back(model);
    start = end + 1;
  }
  return models;
}

// "a,b\nc" (repeated --services are joined by '\n') -> {"a", "b", "c"}, blanks dropped.
std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> names;
  std::string name;
  for (char c : text + ",") {
    if (c == ',' || c == '\n') {
      if (!name.empty()) names.push_back(name);
      name.clear();
    } else if (c != ' ') {
      name += c;
    }
  }
  return names;
}

void AddName(std::vector<std::string>& names, const std::string& name) {
  if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

// The presets, then the config's own services, in that order; --services picks and orders them.
// kUsage for a --services name that is neither.
Result<std::vector<std::string>> ServiceNames(const CompareFlags& flags, const ConfigValues& config) {
  std::vector<std::string> known;
  for (const auto& preset : llm::BuiltinPresets()) AddName(known, std::string(preset.name));
  for (const auto& [name, values] : config.Sections("services")) AddName(known, name);
  if (flags.services.empty()) return known;
  std::vector<std::string> names;
  for (const auto& name : SplitNames(flags.services)) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return MakeError(ErrorKind::kUsage, "--services: unknown service '" + DisplayText(name, 64) +
                                              "' (known: " + list +
                                              "; add one under [services.NAME] in the "
                                              "config file)");
    }
    AddName(names, name);
  }
  return names;
}

// Builds the request for one service and model; kUsage for what is wrong with the command itself.
Result<ProbeTask> Prepare(const std::string& name, const std::string& model, const RequestFlags& flags,
                          const PaymentFlags& payment, const ConfigValues& config, const Services& services,
                          const std::optional<std::string>& stdin_text) {
  ServiceFlags service_flags;
  service_flags.service = name;
  auto service = ResolveService(service_flags, config);
  if (!service) return service.error();
  auto settings = ResolvePaymentSettings(WithServiceNetwork(payment, *service, config, services.env), config,
                                         services.env, service->name);
  if (!settings) return settings.error();
  ProbeTask task;
  task.service = name;
  task.given_model = model;
  task.url = llm::ChatUrl(*service);
  task.settings = std::move(*settings);
  RequestFlags request = flags;
  request.model = model;
  if (auto applied = ApplyModelSettingsFile(*service, request, services.env); !applied)
    return applied.error();
  auto params = ToChatParams(request);
  if (!params) return params.error();
  std::optional<std::string> piped = stdin_text;
  if (auto added = AddFileInputs(request, *params, piped, services); !added) return added.error();
  bool has_stdin = piped && piped->find_first_not_of(" \t\r\n") != std::string::npos;
  if (params->prompt.empty() && !has_stdin) params->prompt = {kComparePlaceholder};
  std::optional<std::string_view> stdin_view;
  if (piped) stdin_view = *piped;
  auto built = llm::BuildChatRequest(*service, *params, stdin_view, {});
  if (!built) {
    task.row = ErrorRow(name, request.model, task.url, built.error().message);
    return task;
  }
  task.model = built->model;
  task.request = ChatHttpRequest(task.url, std::move(built->body));
  return task;
}

CompareRow ProbeOne(ProbeTask& task, const Services& services) {
  auto response = task.context->flow().Probe(task.request);  // never pays
  if (!response) return ErrorRow(task.service, task.model, task.url, response.error().message);
  if (response->status != 402 && !IsSuccess(*response))
    return ErrorRow(task.service, task.model, task.url, UnpaidAnswerError(*response, task.url).message);
  QuoteReport report = JudgeQuote(task.request, *response, task.settings, services);
  std::string why;
  if (!report.chosen) why = protocol::ExplainRefusal(report.verdicts, report.rejected);
  return RowFromReport(task.service, task.model, report, why);
}

std::string CostText(const CompareRow& row) {
  if (row.free) return "free";
  std::optional<U256> total = RowTotal(row);
  std::string text = FormatTokenAmount(row.price.value_or(U256()));
  if (row.sponsored) return text + " (fee sponsored)";
  if (row.fee)
    return text + " + fee up to " + FormatTokenAmount(*row.fee) + " = " + FormatTokenAmount(*total);
  return text + " + fee";
}

}  // namespace

void AddCompareFlags(CLI::App& app, CompareFlags& flags, const char* flag, const char* help,
                     const std::vector<const char*>& excluded) {
  auto* enable = app.add_flag(flag, flags.enabled, help);
  // One value per --services (a list CLI11 splits would swallow the prompt after it); repeats join.
  app.add_option("--services", flags.services,
                 "With " + std::string(flag) +
                     ": the services to compare, comma-separated (default: the presets and every "
                     "[services.NAME] in the config)")
      ->multi_option_policy(CLI::MultiOptionPolicy::Join)
      ->type_name("NAME,...")
      ->needs(enable);
  app.get_option("--model")->multi_option_policy(CLI::MultiOptionPolicy::Join);
  for (const char* name : excluded) enable->excludes(app.get_option(name));
}

Status CheckOneModel(const RequestFlags& request, const CompareFlags& flags, const char* flag) {
  if (flags.enabled || request.model.find('\n') == std::string::npos) return {};
  return MakeError(ErrorKind::kUsage, std::string("-m was given more than once; several models go with ") +
                                          flag + " (one row each)");
}

Result<std::vector<CompareRow>> CompareServices(const CompareFlags& flags, const RequestFlags& request,
                                                const PaymentFlags& payment, Io& io, const Services& services,
                                                std::optional<std::string>& stdin_text) {
  auto config = LoadConfig(payment.config_file, services.env);
  if (!config) return config.error();
  auto piped = ReadPipedStdin(io);
  if (!piped) return piped.error();
  stdin_text = std::move(*piped);
  auto listed = ServiceNames(flags, *config);
  if (!listed) return listed.error();
  const std::vector<std::string>& names = *listed;
  const std::vector<std::string> models = SplitModels(request.model);
  if (names.size() * models.size() > kMaxCompareRows) {
    return MakeError(ErrorKind::kUsage,
                     "--services and -m ask for " + std::to_string(names.size() * models.size()) +
                         " probes; at most " + std::to_string(kMaxCompareRows) + " at once");
  }
  std::vector<ProbeTask> tasks;
  for (const auto& name : names) {
    for (const auto& model : models) {
      auto task = Prepare(name, model, request, payment, *config, services, stdin_text);
      if (!task) return task.error();
      if (!task->row) {
        auto context = PayContext::Open(task->settings, services);
        if (!context) return context.error();
        task->context = std::move(*context);
      }
      tasks.push_back(std::move(*task));
    }
  }
  std::vector<CompareRow> rows(tasks.size());
  std::atomic<std::size_t> next{0};
  auto work = [&]() {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      if (tasks[i].row) {
        rows[i] = *tasks[i].row;
        continue;
      }
      try {
        rows[i] = ProbeOne(tasks[i], services);
      } catch (const std::exception& e) {
        rows[i] =
            ErrorRow(tasks[i].service, tasks[i].model, tasks[i].url, std::string("unexpected: ") + e.what());
      }
    }
  };
  const std::size_t workers = std::min(tasks.size(), kCompareParallelism);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].given_model = tasks[i].given_model;
    if (rows[i].model.empty()) rows[i].model = tasks[i].given_model;
  }
  SortRows(rows);
  return rows;
}

Status RunCompare(const CompareFlags& flags, const RequestFlags& request, const PaymentFlags& payment,
                  bool json, Io& io, const Services& services) {
  std::optional<std::string> stdin_text;
  auto rows = CompareServices(flags, request, payment, io, services, stdin_text);
  if (!rows) return rows.error();
  io.out << (json ? RenderCompareJson(*rows) : RenderCompareText(*rows));
  return {};
}

Result<CheapestChoice> ChooseCheapest(const CompareFlags& flags, const RequestFlags& request,
                                      const PaymentFlags& payment, Io& io, const Services& services) {
  CheapestChoice choice;
  auto rows = CompareServices(flags, request, payment, io, services, choice.stdin_text);
  if (!rows) return rows.error();
  if (msg::Verbosity() > 0) io.err << RenderCompareText(*rows);
  const CompareRow* cheapest = CheapestFitting(*rows);
  if (cheapest == nullptr) {
    std::string why;
    for (const auto& row : *rows) {
      if (!why.empty()) why += "; ";
      why +=
          DisplayText(row.service, 64) + ": " + DisplayText(row.error.empty() ? row.why_not : row.error, 200);
    }
    return MakeError(ErrorKind::kPaymentRefusedLocally, "--cheapest: no service fits the caps (" + why +
                                                            "); raise --max-amount or --max-fee, or "
                                                            "see 'mpp quote --compare'");
  }
  std::string line = "--cheapest: paying " + DisplayText(cheapest->service, 64);
  if (!cheapest->model.empty()) line += " (" + DisplayText(cheapest->model, 80) + ")";
  line += ", the cheapest of " + std::to_string(rows->size()) + " that fits the caps: " + CostText(*cheapest);
  for (const auto& row : *rows) {
    if (&row == cheapest) continue;
    line += "; next: " + DisplayText(row.service, 64) + " " +
            (row.error.empty() ? (row.fits ? CostText(row) : "does not fit") : "no quote");
    break;
  }
  msg::Info(line);
  // The paid call probes again and its 402 goes through the caps like any other.
  choice.service = cheapest->service;
  choice.model = cheapest->given_model;
  return choice;
}

}  // namespace mpp::cli
