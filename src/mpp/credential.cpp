#include "mpp/credential.h"

#include <optional>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util/base64url.h"
#include "util/json_reader.h"
#include "util/json_writer.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

Error Bug(const std::string& what) { return MakeError(ErrorKind::kUnexpected, "credential: " + what); }

// RapidJSON copies bytes through unchecked, and the server decodes the JSON as UTF-8.
bool EchoedFieldsAreUtf8(const Challenge& c) {
  for (const std::string* s : {&c.id, &c.realm, &c.method, &c.intent, &c.request}) {
    if (!IsValidUtf8(*s)) return false;
  }
  for (const std::optional<std::string>* s : {&c.description, &c.digest, &c.expires, &c.header, &c.opaque}) {
    if (*s && !IsValidUtf8(**s)) return false;
  }
  return true;
}

// An optional echoed field: written when the challenge had it, left out otherwise (never null).
void WriteOptional(json::Writer& w, const char* name, const std::optional<std::string>& value) {
  if (value) json::WriteField(w, name, *value);
}

}  // namespace

std::string CredentialHeaderName(const Challenge& challenge) {
  return challenge.header.value_or("Authorization");
}

Result<std::string> BuildCredentialEnvelope(const Challenge& challenge, std::string_view payload_json,
                                            std::string_view source) {
  // Challenges from ParseChallenges are valid UTF-8 by construction; this catches hand-built ones.
  if (!EchoedFieldsAreUtf8(challenge) || !IsValidUtf8(source)) return Bug("a field is not valid UTF-8");
  rapidjson::Document payload_doc;
  std::string why;
  if (!json::Parse(payload_json, payload_json.size(), payload_doc, why) || !payload_doc.IsObject()) {
    return Bug("the payload is not one JSON object");
  }

  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  w.Key("challenge");
  w.StartObject();
  json::WriteField(w, "id", challenge.id);
  json::WriteField(w, "realm", challenge.realm);
  json::WriteField(w, "method", challenge.method);
  json::WriteField(w, "intent", challenge.intent);
  json::WriteField(w, "request", challenge.request);
  WriteOptional(w, "description", challenge.description);
  WriteOptional(w, "digest", challenge.digest);
  WriteOptional(w, "expires", challenge.expires);
  WriteOptional(w, "header", challenge.header);
  WriteOptional(w, "opaque", challenge.opaque);
  w.EndObject();

  w.Key("payload");
  w.RawValue(payload_json.data(), payload_json.size(), rapidjson::kObjectType);
  if (!source.empty()) json::WriteField(w, "source", source);
  w.EndObject();
  std::string_view json(buffer.GetString(), buffer.GetSize());
  return "Payment " + EncodeBase64Url(json);
}

}  // namespace mpp::protocol
