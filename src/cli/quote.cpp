#include "cli/quote.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <memory>

#include "cli/chat_batch.h"
#include "cli/chat_call.h"
#include "cli/chat_inputs.h"
#include "cli/http_error.h"
#include "cli/model_settings.h"
#include "cli/pay_context.h"
#include "cli/published_price.h"
#include "cli/quote_batch.h"
#include "cli/quote_compare.h"
#include "cli/quote_discover.h"
#include "cli/quote_judge.h"
#include "cli/quote_render.h"
#include "cli/request_flags.h"
#include "cli/service_flags.h"
#include "cli/template_flags.h"
#include "util/message.h"
#include "util/stdin.h"

namespace mpp::cli {
namespace {

// What a quote sends when there is no prompt at all: chat would refuse to run, but the price is wanted.
constexpr const char* kPlaceholderPrompt = "hello";

struct QuoteOptions {
  ServiceFlags service;
  RequestFlags request;
  TemplateFlags templates;
  PaymentFlags payment;
  std::string method;
  std::string data;
  bool json = false;
  bool discover = false;
  CompareFlags compare;
  std::string batch;  // --batch FILE: one quote per line
  int jobs = 1;
};

bool IsMethodName(const std::string& method) {
  if (method.empty() || method.size() > 16) return false;
  for (char c : method) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

Result<std::string> DataBody(const std::string& data, Io& io) {
  if (data == "@-") return ReadAll(io.in);
  if (data.starts_with("@")) {
    std::ifstream in(data.substr(1), std::ios::binary);
    if (!in) return MakeError(ErrorKind::kUsage, "--data " + data + ": cannot read the file");
    return ReadAll(in);
  }
  return data;
}

// -X/--data: the request exactly as given. Otherwise the request chat would send for these flags.
Result<net::HttpRequest> ProbeRequest(const QuoteOptions& o, const llm::Service& service, Io& io,
                                      const Services& services) {
  std::string url = llm::ChatUrl(service);
  if (!o.method.empty() || !o.data.empty()) {
    if (!o.request.prompt.empty() || ShapesRequest(o.request)) {
      return MakeError(ErrorKind::kUsage,
                       "-X/--data send the request as given; drop the prompt and request flags");
    }
    net::HttpRequest request;
    request.url = url;
    request.method = !o.method.empty() ? o.method : (o.data.empty() ? "GET" : "POST");
    if (!IsMethodName(request.method)) {
      return MakeError(ErrorKind::kUsage, "-X " + o.method + ": expected an HTTP method such as POST or GET");
    }
    auto body = DataBody(o.data, io);
    if (!body) return body.error();
    request.body = std::move(*body);
    request.headers.push_back({"Accept", "application/json, text/event-stream"});
    if (!request.body.empty()) request.headers.push_back({"Content-Type", "application/json"});
    return request;
  }
  auto params = ToChatParams(o.request);
  if (!params) return params.error();
  auto piped = ReadPipedStdin(io);
  if (!piped) return piped.error();
  std::optional<std::string> stdin_text = std::move(*piped);
  if (auto added = AddFileInputs(o.request, *params, stdin_text, services); !added) return added.error();
  bool has_stdin = stdin_text && stdin_text->find_first_not_of(" \t\r\n") != std::string::npos;
  if (params->prompt.empty() && !has_stdin) {
    params->prompt = {kPlaceholderPrompt};
    msg::Verbose(std::string("no prompt given; quoting the prompt \"") + kPlaceholderPrompt + "\"");
  }
  std::optional<std::string_view> stdin_view;
  if (stdin_text) stdin_view = *stdin_text;
  auto request = llm::BuildChatRequest(service, *params, stdin_view, {});
  if (!request) return request.error();
  return ChatHttpRequest(url, std::move(request->body));
}

Status Run(const QuoteOptions& given, Io& io, const Services& services) {
  QuoteOptions o = given;
  if (auto templated = ApplyTemplateFlags(o.templates, o.service, o.request, services.env); !templated)
    return templated;
  if (o.compare.enabled) return RunCompare(o.compare, o.request, o.payment, o.json, io, services);
  auto target = ResolveServiceTarget(o.service, o.payment, services.env);
  if (!target) return target.error();
  if (o.method.empty() && o.data.empty() && !o.discover) {
    if (auto applied = ApplyModelSettingsFile(target->service, o.request, services.env); !applied)
      return applied;
  }
  const llm::Service* service = &target->service;
  const PaymentSettings* settings = &target->settings;
  auto context = PayContext::Open(*settings, services);
  if (!context) return context.error();
  if (o.discover) return RunDiscover((*context)->flow(), *service, o.json, io);
  if (!o.batch.empty())
    return RunQuoteBatchCommand(o.batch, o.jobs, o.request, *service, *settings, o.json, io, services);

  auto request = ProbeRequest(o, *service, io, services);
  if (!request) return request.error();
  auto response = (*context)->flow().Probe(*request);  // never pays
  if (!response) return response.error();
  if (response->status != 402 && !IsSuccess(*response)) return UnpaidAnswerError(*response, request->url);

  QuoteReport report = JudgeQuote(*request, *response, *settings, services);
  io.out << (o.json ? RenderQuoteJson(report) : RenderQuoteText(report));
  if (report.chosen && !o.json) {
    io.out << QuoteDriftLine(report.verdicts[*report.chosen],
                             CollectPublishedPrices(o.templates.name, llm::ChatUrl(*service), *settings,
                                                    (*context)->flow(), services),
                             settings->max_drift);
  }
  if (!HasPrice(report)) {
    return MakeError(ErrorKind::kNetwork,
                     "no price: the 402 from " + request->url + " carried no usable Payment challenge");
  }
  return {};
}

}  // namespace

Action SetupQuote(CLI::App& sub) {
  auto options = std::make_shared<QuoteOptions>();
  AddServiceFlags(sub, options->service, "Any MPP endpoint (full URL) instead of a service's chat endpoint");
  AddRequestFlags(sub, options->request);
  AddTemplateFlags(sub, options->templates, /*with_save=*/false);
  sub.add_option("-X,--request", options->method,
                 "HTTP method of a request sent as given (default GET, or POST with --data)");
  sub.add_option("--data", options->data, "Body of a request sent as given; @FILE reads a file, @- stdin");
  sub.add_flag("--json", options->json, "One JSON object on stdout instead of the table");
  sub.add_flag("--discover", options->discover,
               "Read the prices the service publishes in /openapi.json (x-payment-info); no probe");
  AddCompareFlags(sub, options->compare, "--compare",
                  "Probe every configured service (or --services) with this request, in parallel, and print "
                  "one row per service and model (-m repeatable), sorted by cost",
                  {"--url", "--service", "--base-url", "--request", "--data", "--discover"});
  auto* batch = sub.add_option("--batch", options->batch,
                               "JSONL file ('-' for stdin) as chat --batch takes: the price of every line, "
                               "the total and the worst case with fees; each distinct request probed once");
  sub.add_option("-j,--jobs", options->jobs, "Probes in flight at once with --batch (default 1)")
      ->check(CLI::Range(1, kMaxJobs))
      ->needs(batch);
  batch->excludes(sub.get_option("--discover"))
      ->excludes(sub.get_option("--data"))
      ->excludes(sub.get_option("-X"));
  AddPaymentFlags(sub, options->payment);
  AddMaxDriftFlag(sub, options->payment);
  sub.footer(
      "Sends the request once and never pays; needs no key. Shows every challenge offered and whether\n"
      "mpp would pay it under the current caps (--max-amount, --daily-limit, currencies, network), and\n"
      "why each one was or was not chosen. The request is the one chat would send for these flags:\n"
      "prices depend on the body (model, token limit), so the quote is for that body.\n"
      "Exits 0 when a price was obtained (\"free\" when the service answered without a 402).\n"
      "\n"
      "Examples:\n"
      "  mpp quote --service groq \"hello\"\n"
      "  mpp quote -t review -p lang C \"x\"\n"
      "  mpp quote --service openai --json | jq '.challenges[0].amount'\n"
      "  mpp quote --url https://openrouter.mpp.tempo.xyz/v1/chat/completions --discover\n"
      "  mpp quote --compare \"hello\"\n"
      "  mpp quote --compare --services groq,openai -m gpt-4o-mini -m openai/gpt-oss-20b --max-amount 0.01\n"
      "  mpp quote --service groq --batch prompts.jsonl -j 4");
  return [options](Io& io, const Services& services) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    if (auto one = CheckOneModel(options->request, options->compare, "--compare"); !one) return one;
    return Run(*options, io, services);
  };
}

}  // namespace mpp::cli
