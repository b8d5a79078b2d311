#include "cli/http_error.h"

#include <rapidjson/document.h>

#include "llm/completion.h"
#include "mpp/problem.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::cli {

Error HttpStatusError(const net::HttpResponse& response, const std::string& url) {
  std::string text = "HTTP " + std::to_string(response.status) + " from " + DisplayText(url, 200);
  if (auto problem = protocol::ParseProblemDetails(response.body))
    return MakeError(ErrorKind::kNetwork, text + ": " + protocol::DescribeProblem(*problem));
  rapidjson::Document doc;
  std::string why;
  if (json::Parse(response.body, response.body.size(), doc, why)) {
    if (auto service_text = llm::ServiceErrorText(doc))
      return MakeError(ErrorKind::kNetwork, text + ": " + *service_text);
  }
  if (response.body.find_first_not_of(" \t\r\n") != std::string::npos)
    text += ": " + DisplayText(response.body, 200);
  return MakeError(ErrorKind::kNetwork, text);
}

Error UnpaidAnswerError(const net::HttpResponse& response, const std::string& url) {
  Error error = HttpStatusError(response, url);
  if (response.status == 400) {
    return MakeError(ErrorKind::kUsage, "the service refused the request before asking for payment (" +
                                            error.message +
                                            "); nothing was paid: change the request and try again");
  }
  if (response.status == 403) {
    return MakeError(ErrorKind::kNetwork,
                     error.message +
                         " before any payment challenge; nothing was paid. Likely cause: the "
                         "service's firewall refused the request (the Locus gateway answers 403 to a "
                         "request without a User-Agent: check for a proxy that strips headers), or "
                         "the service is not offered in your region");
  }
  return error;
}

}  // namespace mpp::cli
