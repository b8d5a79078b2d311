#include "mpp/charge_credential.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "mpp/credential.h"
#include "util/hex.h"
#include "util/json_writer.h"

namespace mpp::protocol {
namespace {

Error ChargeBug(const std::string& what) { return MakeError(ErrorKind::kUnexpected, "credential: " + what); }

Status CheckChargePayload(const ChargePayload& payload, std::string_view source) {
  if (payload.hex.size() < 2 || payload.hex[0] != '0' || payload.hex[1] != 'x') {
    return ChargeBug("payload is not 0x-prefixed hex");
  }
  auto bytes = FromHex(payload.hex);
  if (!bytes) return ChargeBug("payload is not 0x-prefixed hex");
  switch (payload.type) {
    case ChargePayload::Type::kTransaction:
      if (bytes->empty() || ((*bytes)[0] != 0x76 && (*bytes)[0] != 0x78)) {
        return ChargeBug("transaction payload is not a 0x76 transaction or 0x78 fee-payer envelope");
      }
      return {};
    case ChargePayload::Type::kHash:
      if (bytes->size() != 32) return ChargeBug("hash payload is not 32 bytes");
      return {};
    case ChargePayload::Type::kProof:
      if (bytes->size() != 65) return ChargeBug("proof payload is not a 65-byte signature");
      if (source.empty()) return ChargeBug("a proof credential needs a source");
      return {};
  }
  return ChargeBug("unknown payload type");
}

}  // namespace

Result<std::string> BuildChargeCredential(const Challenge& challenge, const ChargePayload& payload,
                                          std::string_view source) {
  if (auto s = CheckChargePayload(payload, source); !s) return s.error();
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  switch (payload.type) {
    case ChargePayload::Type::kTransaction:
      json::WriteField(w, "type", "transaction");
      json::WriteField(w, "signature", payload.hex);
      break;
    case ChargePayload::Type::kHash:
      json::WriteField(w, "type", "hash");
      json::WriteField(w, "hash", payload.hex);
      break;
    case ChargePayload::Type::kProof:
      json::WriteField(w, "type", "proof");
      json::WriteField(w, "signature", payload.hex);
      break;
  }
  w.EndObject();
  return BuildCredentialEnvelope(challenge, std::string_view(buffer.GetString(), buffer.GetSize()), source);
}

}  // namespace mpp::protocol
