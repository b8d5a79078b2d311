#include "cli/models.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/chat_render.h"
#include "cli/http_error.h"
#include "cli/output_sink.h"
#include "cli/pay_context.h"
#include "cli/service_flags.h"
#include "llm/model_list.h"
#include "util/message.h"

namespace mpp::cli {
namespace {

struct ModelsOptions {
  ServiceFlags service;
  bool json = false;
  PaymentFlags payment;
};

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

Status Run(const ModelsOptions& o, Io& io) {
  auto target = ResolveServiceTarget(o.service, o.payment);
  if (!target) return target.error();
  const llm::Service* service = &target->service;
  const PaymentSettings* settings = &target->settings;
  auto request = ModelsRequest(o, *service);
  if (!request) return request.error();
  auto context = PayContext::Open(*settings);
  if (!context) return context.error();

  // A paid listing goes through the same caps, budget and journal as chat.
  auto result = (*context)->flow().Perform(*request, nullptr);
  if (!result) return result.error();
  const net::HttpResponse& response = result->response;
  if (!IsSuccess(response)) return HttpStatusError(response, request->url);
  if (result->payment && (msg::Verbosity() > 0 || io.stderr_is_tty))
    msg::Info(PaymentSummaryLine(*result->payment));
  OutputSink out(io.out);
  if (o.json) {
    out.Write(response.body);
    if (io.stdout_is_tty && !response.body.ends_with('\n')) out.Write("\n");
    return {};
  }
  auto ids = llm::ParseModelList(response.body);
  if (!ids) {
    std::string text = "the model listing from " + request->url + " is unreadable: " + ids.error().message;
    if (result->payment) text += " (" + PaymentSummaryLine(*result->payment) + "; --json shows it as sent)";
    return MakeError(ErrorKind::kNetwork, text);
  }
  out.Write(RenderModelList(*ids));
  return {};
}

}  // namespace

Action SetupModels(CLI::App& sub) {
  auto options = std::make_shared<ModelsOptions>();
  AddServiceFlags(sub, options->service,
                  "The models listing endpoint (full URL, GET) instead of a service's");
  sub.add_flag("--json", options->json, "Write the service's listing unchanged (JSON)");
  AddPaymentFlags(sub, options->payment);
  sub.footer(
      "One model id per line on stdout. Where the listing is paid, it is paid like a chat call\n"
      "(same caps, budget and journal).\n"
      "\n"
      "Examples:\n"
      "  mpp models --service groq\n"
      "  mpp models --service groq --json | jq '.data[].id'\n"
      "  mpp models --url https://openai.mpp.tempo.xyz/v1/models");
  return [options](Io& io) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    return Run(*options, io);
  };
}

}  // namespace mpp::cli
