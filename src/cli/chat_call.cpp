#include "cli/chat_call.h"

#include "cli/http_error.h"
#include "cli/pay_context.h"

namespace mpp::cli {

net::HttpRequest ChatHttpRequest(const std::string& url, std::string body) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers.push_back({"Content-Type", "application/json"});
  request.headers.push_back({"Accept", "application/json, text/event-stream"});
  request.body = std::move(body);
  return request;
}

Result<ChatCallResult> PerformChat(protocol::PayFlow& flow, const net::HttpRequest& request,
                                   const ChatCallHooks& hooks) {
  llm::StreamAssemblerOptions options;
  options.on_text = hooks.on_text;
  options.unwrap_envelope = hooks.unwrap_envelope;
  // Events that are not chat chunks (a session's payment-need-voucher, payment-receipt) belong to the
  // payment in flight; when it says stop (a cap), the answer ends there.
  bool payment_stopped = false;
  options.on_other_event = [&](const net::SseEvent& event) {
    if (payment_stopped) return;
    if (auto handled = flow.AnswerEvent(event.type, event.data); !handled) payment_stopped = true;
  };
  llm::StreamAssembler assembler(std::move(options));
  std::optional<Error> failure;
  auto feed = [&](std::string_view chunk) {
    if (hooks.on_body) hooks.on_body(chunk);
    if (!failure) {
      if (auto fed = assembler.Feed(chunk); !fed) failure = fed.error();
    }
  };
  // Otherwise always accept the rest of the body: aborting a paid transfer would turn a settled payment
  // into one of unknown outcome.
  net::BodySink sink = [&feed, &payment_stopped](std::string_view chunk) {
    feed(chunk);
    return !payment_stopped;
  };
  auto performed = flow.Perform(request, &sink);
  if (!performed) return performed.error();
  const net::HttpResponse& response = performed->response;
  if (!IsSuccess(response)) return UnpaidAnswerError(response, request.url);
  if (!response.body_streamed && !response.body.empty()) feed(response.body);

  ChatCallResult result;
  result.payment = std::move(performed->payment);
  if (!failure) {
    auto finished = assembler.Finish();
    if (finished) {
      result.answer = std::move(*finished);
    } else {
      failure = finished.error();
    }
  }
  if (failure) result.answer_error = std::move(failure);
  return result;
}

Error UnreadableAnswerError(const ChatCallResult& result) {
  std::string text = result.answer_error ? result.answer_error->message : "the answer could not be read";
  if (result.payment) text += " (" + PaymentSummaryLine(*result.payment) + "; the payment stands)";
  return MakeError(ErrorKind::kNetwork, text);
}

}  // namespace mpp::cli
