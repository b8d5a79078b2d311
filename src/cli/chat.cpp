#include "cli/chat.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/output_sink.h"
#include "cli/pay_context.h"
#include "cli/payment_options.h"
#include "mpp/problem.h"
#include "mpp/text.h"
#include "util/message.h"
#include "util/stdin.h"

namespace mpp::cli {
namespace {

struct ChatOptions {
  std::string url;
  bool raw = false;
  PaymentFlags payment;
};

Status CheckJsonRequest(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return MakeError(ErrorKind::kUsage, "standard input is empty; pipe a JSON chat request into 'mpp chat --raw'");
  }
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) {
    return MakeError(ErrorKind::kUsage, std::string("the request on standard input is not valid JSON (") +
                                            rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                                            std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) return MakeError(ErrorKind::kUsage, "the request on standard input must be a JSON object");
  return {};
}

// An HTTP error that is not a payment matter: say what the server said, briefly.
Error HttpError(const net::HttpResponse& response, const std::string& url) {
  std::string text = "HTTP " + std::to_string(response.status) + " from " + url;
  if (auto problem = ParseProblemDetails(response.body)) {
    text += ": " + DescribeProblem(*problem);
  } else if (!response.body.empty()) {
    text += ": " + DisplayText(response.body, 200);
  }
  return MakeError(ErrorKind::kNetwork, text);
}

Status RunRaw(const ChatOptions& options, Io& io) {
  auto settings = ResolvePaymentSettings(options.payment);
  if (!settings) return settings.error();
  auto body = ReadAll(io.in);
  if (!body) return body.error();
  if (auto valid = CheckJsonRequest(*body); !valid) return valid;

  auto context = PayContext::Open(*settings);
  if (!context) return context.error();

  net::HttpRequest request;
  request.method = "POST";
  request.url = options.url;
  request.headers.push_back({"Content-Type", "application/json"});
  request.headers.push_back({"Accept", "application/json, text/event-stream"});
  request.body = std::move(*body);

  OutputSink out(io.out);
  net::BodySink sink = [&out](std::string_view chunk) { return out.Write(chunk); };
  auto result = (*context)->flow().Perform(request, &sink);
  if (!result) return result.error();
  if (result->response.status < 200 || result->response.status >= 300) return HttpError(result->response, options.url);
  if (!result->response.body_streamed && !result->response.body.empty()) out.Write(result->response.body);
  if (result->payment && (msg::Verbosity() > 0 || io.stderr_is_tty)) {
    msg::Info(PaymentSummaryLine(*result->payment));
  }
  return {};
}

}  // namespace

Action SetupChat(CLI::App& sub) {
  auto options = std::make_shared<ChatOptions>();
  sub.add_option("--url", options->url, "Any OpenAI-compatible MPP chat endpoint (full URL)");
  sub.add_flag("--raw", options->raw, "Send stdin as the JSON request body; write the response body unchanged");
  AddPaymentFlags(sub, options->payment);
  sub.footer(
      "Examples:\n"
      "  echo '{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}' |\n"
      "    mpp chat --url https://openai.mpp.tempo.xyz/v1/chat/completions --raw\n"
      "  MPP_PRIVATE_KEY=0x... mpp chat --url http://127.0.0.1:8080/v1/chat/completions --raw --network testnet < req.json");
  return [options](Io& io) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    if (!options->raw || options->url.empty()) {
      return MakeError(ErrorKind::kUnexpected,
                       "only 'mpp chat --url URL --raw' (a JSON request on stdin) is available in this version");
    }
    return RunRaw(*options, io);
  };
}

}  // namespace mpp::cli
