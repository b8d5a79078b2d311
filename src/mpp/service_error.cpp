#include "mpp/service_error.h"

#include <rapidjson/document.h>

#include "mpp/problem.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr std::size_t kMaxTextBytes = 200;

std::string StringOf(const rapidjson::Value& object, const char* name) {
  return json::OptionalString(object, name).value_or(std::string());
}

// {"error":"Invalid request","message":"..."}, {"error":{"message":"...","code":...}}, or empty.
std::string ErrorMemberText(const rapidjson::Value& doc) {
  auto it = doc.FindMember("error");
  if (it == doc.MemberEnd()) return {};
  const rapidjson::Value& error = it->value;
  if (error.IsString()) {
    std::string text(error.GetString(), error.GetStringLength());
    std::string message = StringOf(doc, "message");
    return message.empty() ? text : text + ": " + message;
  }
  if (!error.IsObject()) return {};
  std::string text = StringOf(error, "message");
  std::string code = StringOf(error, "code");
  if (code.empty()) code = StringOf(error, "type");
  if (!text.empty() && !code.empty()) text += " (" + code + ")";
  return text;
}

}  // namespace

ServiceErrorBody ReadServiceErrorBody(std::string_view body) {
  ServiceErrorBody out;
  if (auto problem = ParseProblemDetails(body)) {
    out.payment_problem = problem->kind != ProblemType::kUnknown;
    out.text = DescribeProblem(*problem);
    return out;
  }
  rapidjson::Document doc;
  std::string why;
  if (json::Parse(body, kMaxErrorBodyBytes, doc, why) && doc.IsObject()) {
    out.payment_id = DisplayText(StringOf(doc, "paymentId"), 100);
    out.text = DisplayText(ErrorMemberText(doc), kMaxTextBytes);
  }
  if (out.text.empty() && body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    out.text = DisplayText(body, kMaxTextBytes);
  }
  return out;
}

}  // namespace mpp::protocol
