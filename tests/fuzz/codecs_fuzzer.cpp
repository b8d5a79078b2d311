// The strict base64url and hex decoders. Both refuse every non-canonical spelling, so what they accept
// must encode back to the input (hex: up to case and the optional 0x prefix).
#include <string>

#include "fuzz_check.h"
#include "util/base64url.h"
#include "util/hex.h"

namespace {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = mpp::fuzz::AsText(data, size);

  if (auto bytes = mpp::DecodeBase64Url(text)) {
    FUZZ_CHECK(mpp::EncodeBase64Url(*bytes) == text);
  }
  const std::string encoded = mpp::EncodeBase64Url(mpp::fuzz::AsByteView(data, size));
  auto decoded = mpp::DecodeBase64Url(encoded);
  FUZZ_CHECK(decoded && *decoded == mpp::Bytes(data, data + size));

  if (auto bytes = mpp::FromHex(text)) {
    std::string_view digits = text;
    if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
    FUZZ_CHECK(mpp::ToHex(*bytes, false) == Lowercase(digits));
    FUZZ_CHECK(mpp::FromHexExact(text, bytes->size()).has_value());
    FUZZ_CHECK(!mpp::FromHexExact(text, bytes->size() + 1).has_value());
  } else {
    FUZZ_CHECK(!mpp::FromHexExact(text, size / 2).has_value());
  }
  auto hex = mpp::FromHex(mpp::ToHex(mpp::fuzz::AsByteView(data, size)));
  FUZZ_CHECK(hex && *hex == mpp::Bytes(data, data + size));
  return 0;
}
