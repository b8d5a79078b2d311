#include "cli/http_error.h"

#include <rapidjson/document.h>

#include "llm/completion.h"
#include "mpp/problem.h"
#include "mpp/text.h"

namespace mpp::cli {

Error HttpStatusError(const net::HttpResponse& response, const std::string& url) {
  std::string text = "HTTP " + std::to_string(response.status) + " from " + DisplayText(url, 200);
  if (auto problem = ParseProblemDetails(response.body))
    return MakeError(ErrorKind::kNetwork, text + ": " + DescribeProblem(*problem));
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(response.body.data(), response.body.size());
  if (!doc.HasParseError()) {
    if (auto service_text = llm::ServiceErrorText(doc))
      return MakeError(ErrorKind::kNetwork, text + ": " + *service_text);
  }
  if (response.body.find_first_not_of(" \t\r\n") != std::string::npos)
    text += ": " + DisplayText(response.body, 200);
  return MakeError(ErrorKind::kNetwork, text);
}

}  // namespace mpp::cli
