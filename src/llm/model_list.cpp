#include "llm/model_list.h"

#include <optional>

#include <rapidjson/document.h>

#include "llm/completion.h"
#include "llm/envelope.h"
#include "util/json_fields.h"
#include "util/json_reader.h"
#include "util/text.h"

namespace mpp::llm {
namespace {

constexpr std::size_t kMaxListBytes = 16 * 1024 * 1024;

const rapidjson::Value* ListOf(const rapidjson::Value& doc) {
  if (doc.IsArray()) return &doc;
  if (!doc.IsObject()) return nullptr;
  for (const char* name : {"data", "models"}) {
    auto it = doc.FindMember(name);
    if (it != doc.MemberEnd() && it->value.IsArray()) return &it->value;
  }
  return nullptr;
}

}  // namespace

Result<std::vector<std::string>> ParseModelList(std::string_view body, bool unwrap_envelope) {
  std::optional<std::string> inner;
  if (unwrap_envelope) inner = UnwrapSuccessEnvelope(body);
  const std::string_view json = inner ? std::string_view(*inner) : body;
  rapidjson::Document doc;
  std::string why;
  if (!json::Parse(json, kMaxListBytes, doc, why)) {
    return MakeError(ErrorKind::kNetwork, "the model list is not valid JSON (" + why + ")");
  }
  if (auto error = ServiceErrorText(doc)) {
    return MakeError(ErrorKind::kNetwork, "the service answered with an error: " + *error);
  }
  const rapidjson::Value* list = ListOf(doc);
  if (list == nullptr) {
    return MakeError(ErrorKind::kNetwork,
                     "the model list is neither {\"data\": [...]} nor an array: " + DisplayText(json, 120));
  }
  std::vector<std::string> ids;
  for (const auto& item : list->GetArray()) {
    std::string_view id = item.IsString() ? std::string_view(item.GetString(), item.GetStringLength())
                                          : json::StringOrEmpty(item, "id");
    if (!id.empty()) ids.push_back(DisplayText(id, 200));
  }
  return ids;
}

}  // namespace mpp::llm
