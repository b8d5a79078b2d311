#include "wallet/key_file.h"
#include "util/json_depth.h"

#include <string>

#include <rapidjson/document.h>

#include "util/hex.h"
#include "util/json_fields.h"
#include "wallet/key_hex.h"
#include "wallet/keystore.h"

namespace mpp::wallet {

namespace {

constexpr const char* kPlaintextMarker = "mpp_insecure_plaintext_key";
constexpr std::string_view kPlaintextWarning =
    "NOT ENCRYPTED: this file holds a private key in the clear (created with --insecure-no-password). "
    "Anyone who can read it can spend everything at this address.";

// A JSON document parsed in place inside a wiping copy of the text: string values point into `text_`,
// so a plaintext key is never copied into RapidJSON's allocator.
class InPlaceDocument {
 public:
  explicit InPlaceDocument(std::string_view text) : text_(std::string(text)) {
    if (JsonNestingWithin(text_.str())) {
      document_.ParseInsitu<rapidjson::kParseIterativeFlag>(text_.mutable_str().data());
      nested_ok_ = true;
    }
  }
  bool ok() const { return nested_ok_ && !document_.HasParseError() && document_.IsObject(); }
  const rapidjson::Document& get() const { return document_; }

 private:
  SecretString text_;  // declared first: outlives the document that points into it
  rapidjson::Document document_;
  bool nested_ok_ = false;
};

// The address field, with or without 0x; nullopt when absent, an error when malformed.
Result<std::optional<crypto::Address>> AddressField(const rapidjson::Value& document) {
  const auto text = json::StringMember(document, "address");
  if (!text || text->empty()) return std::optional<crypto::Address>();
  auto address = ParseKeystoreAddress(*text);
  if (!address) return MakeError(ErrorKind::kWallet, "the key file has a malformed \"address\"");
  return std::optional<crypto::Address>(*address);
}

Result<KeyFileKind> KindOf(const rapidjson::Value& document) {
  if (json::FindMember(document, kPlaintextMarker) != nullptr) return KeyFileKind::kInsecurePlaintext;
  if (json::ObjectMember(document, "crypto") != nullptr ||
      json::ObjectMember(document, "Crypto") != nullptr) {
    return KeyFileKind::kKeystoreV3;
  }
  return MakeError(ErrorKind::kWallet,
                   "not a key file mpp understands (neither a Web3 Secret Storage keystore "
                   "nor an mpp plaintext key)");
}

}  // namespace

Result<KeyFileSummary> InspectKeyFile(std::string_view text) {
  const InPlaceDocument document(text);
  if (!document.ok()) return MakeError(ErrorKind::kWallet, "the key file is not a JSON object");
  auto kind = KindOf(document.get());
  if (!kind) return kind.error();
  auto address = AddressField(document.get());
  if (!address) return address.error();
  return KeyFileSummary{*kind, *address};
}

SecretString EncodeInsecurePlaintextKey(const crypto::PrivateKey& key) {
  const std::string address = crypto::Address::FromPublicKey(key.GetPublicKey()).ToLowerHex().substr(2);
  SecretString key_hex = FormatPrivateKeyHex(key);
  SecretString out{std::string()};
  std::string& text = out.mutable_str();
  text.reserve(512);  // never reallocates: a reallocation would leave an unwiped copy of the key
  text += "{\"";
  text += kPlaintextMarker;
  text += "\":1,\n \"warning\":\"";
  text += kPlaintextWarning;
  text += "\",\n \"address\":\"";
  text += address;
  text += "\",\n \"private_key\":\"";
  text += std::string_view(key_hex.str()).substr(2);
  text += "\"}\n";
  return out;
}

Result<crypto::PrivateKey> UnlockKeyFile(std::string_view text, const PasswordCallback& password,
                                         std::string_view what) {
  const InPlaceDocument document(text);
  if (!document.ok())
    return MakeError(ErrorKind::kWallet, "the key file for " + std::string(what) + " is not JSON");
  auto kind = KindOf(document.get());
  if (!kind) return kind.error();
  if (*kind == KeyFileKind::kKeystoreV3) {
    auto secret = password();
    if (!secret) return secret.error();
    return DecryptKeystore(text, *secret, what);
  }
  const auto key_hex = json::StringMember(document.get(), "private_key");
  if (!key_hex)
    return MakeError(ErrorKind::kWallet, "the key file for " + std::string(what) + " has no private_key");
  auto key = ParsePrivateKeyHex(*key_hex, "the private_key in the key file for " + std::string(what));
  if (!key) return key.error();
  auto claimed = AddressField(document.get());
  if (!claimed) return claimed.error();
  if (*claimed && crypto::Address::FromPublicKey(key->GetPublicKey()) != **claimed) {
    return MakeError(ErrorKind::kWallet,
                     "the key file for " + std::string(what) +
                         " names an address its key does not have; it is damaged or was edited");
  }
  return key;
}

}  // namespace mpp::wallet
