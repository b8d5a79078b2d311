#include "cli/chat_raw.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "cli/chat_call.h"
#include "cli/http_error.h"
#include "cli/input_guard.h"
#include "cli/output_sink.h"
#include "cli/pay_context.h"
#include "cli/published_price.h"
#include "net/sse.h"
#include "util/message.h"
#include "util/stdin.h"

namespace mpp::cli {
namespace {

Status CheckJsonRequest(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return MakeError(ErrorKind::kUsage,
                     "standard input is empty; pipe a JSON chat request into 'mpp chat --raw'");
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return MakeError(ErrorKind::kUsage, std::string("the request on standard input is not valid JSON (") +
                                            rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                                            std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject())
    return MakeError(ErrorKind::kUsage, "the request on standard input must be a JSON object");
  return {};
}

}  // namespace

Status RunRawPassthrough(const std::string& url, const PaymentSettings& settings, std::size_t max_input,
                         Io& io, const Services& services) {
  auto body = ReadAll(io.in);
  if (!body) return body.error();
  if (auto fits = CheckInputSize(body->size(), {}, max_input); !fits) return fits;
  if (auto valid = CheckJsonRequest(*body); !valid) return valid;

  auto context = PayContext::Open(settings, services);
  if (!context) return context.error();
  (*context)->ReconcileEarlierPayments();
  (*context)->CheckBeforePaying(DriftHook(
      CollectPublishedPrices("", url, settings, (*context)->flow(), services), settings.max_drift, url));

  OutputSink out(io.out);
  // The body goes out as it came; a metered stream's payment events (vouchers asked for) are read on
  // the side and handed to the payment in flight, which may end the answer (a cap).
  protocol::PayFlow& flow = (*context)->flow();
  net::SseReader events;
  bool reading_events = true;
  bool payment_stopped = false;
  net::BodySink sink = [&](std::string_view chunk) {
    const bool written = out.Write(chunk);
    std::vector<net::SseEvent> got;
    if (reading_events && !events.Feed(chunk, got)) reading_events = false;
    for (const auto& event : got) {
      if (event.IsMessage() || payment_stopped) continue;
      if (auto handled = flow.AnswerEvent(event.type, event.data); !handled) payment_stopped = true;
    }
    return written && !payment_stopped;
  };
  auto result = flow.Perform(ChatHttpRequest(url, std::move(*body)), &sink);
  if (!result) return result.error();
  if (!IsSuccess(result->response)) return UnpaidAnswerError(result->response, url);
  if (!result->response.body_streamed && !result->response.body.empty()) out.Write(result->response.body);
  if (result->payment && (msg::Verbosity() > 0 || io.stderr_is_tty)) {
    msg::Info(PaymentSummaryLine(*result->payment));
  }
  if (!out.failure().empty()) {
    if (result->payment) return (*context)->AnswerLost(*result->payment, out.failure());
    return MakeError(ErrorKind::kUnexpected, out.failure());
  }
  return {};
}

}  // namespace mpp::cli
