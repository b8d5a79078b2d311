#include "cli/models.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/chat_render.h"
#include "cli/http_error.h"
#include "cli/output_sink.h"
#include "cli/pay_context.h"
#include "cli/service_flags.h"
#include "llm/envelope.h"
#include "llm/json_text.h"
#include "llm/model_list.h"
#include "util/json_reader.h"
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

}  // namespace

Action SetupModels(CLI::App& sub) {
  auto options = std::make_shared<ModelsOptions>();
  AddServiceFlags(sub, options->service,
                  "The models listing endpoint (full URL, GET) instead of a service's");
  sub.add_flag("--json", options->json,
               "Write the service's listing as JSON: as sent, out of a Locus envelope; a built-in list "
               "is marked \"source\":\"built-in\"");
  AddPaymentFlags(sub, options->payment);
  sub.footer(
      "One model id per line on stdout. Where the listing is paid (groq), it is paid like a chat call\n"
      "(same caps, budget and journal). Services with no listing route (grok, openrouter, openai)\n"
      "print mpp's built-in ids for them, with a note on stderr; nothing is sent.\n"
      "\n"
      "Examples:\n"
      "  mpp models --service groq\n"
      "  mpp models --service groq --json | jq '.data[].id'\n"
      "  mpp models --url https://openai.mpp.tempo.xyz/v1/models");
  return [options](Io& io, const Services& services) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    return Run(*options, io, services);
  };
}

}  // namespace mpp::cli
