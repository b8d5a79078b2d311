// The key file readers on any text: InspectKeyFile, UnlockKeyFile (plaintext files all the way; for a
// keystore the password callback refuses, so nothing is derived) and DecryptKeystore's parsing and
// validation. A real keystore asks for up to 1 GiB of scrypt or 10 million PBKDF2 rounds, by design, so
// the harness first lowers kdf costs that would run: parameters DecryptKeystore refuses are kept as they
// are, so every refusal path is still reached.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "fuzz_check.h"
#include "wallet/kdf.h"
#include "wallet/key_file.h"
#include "wallet/keystore.h"

namespace {

constexpr std::uint64_t kMaxScryptWork = 256;  // n * r * p the harness lets through unchanged
constexpr std::uint64_t kCheapPbkdf2Rounds = 16;
// Deeper documents are not re-serialized (RapidJSON's writer recurses); their costs are left alone.
constexpr std::size_t kMaxRewriteDepth = 200;

std::optional<std::uint64_t> FirstUint64(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsUint64()) return std::nullopt;
  return it->value.GetUint64();
}

// Lowers, in `object`, every kdf parameter DecryptKeystore would accept and then spend real time on.
bool LowerCosts(rapidjson::Value& object) {
  bool changed = false;
  const auto n = FirstUint64(object, "n");
  const auto r = FirstUint64(object, "r");
  const auto p = FirstUint64(object, "p");
  bool lower_scrypt = false;
  if (n && r && p && *r <= UINT32_MAX && *p <= UINT32_MAX) {
    const mpp::wallet::ScryptParams params{*n, static_cast<std::uint32_t>(*r),
                                           static_cast<std::uint32_t>(*p)};
    lower_scrypt = mpp::wallet::CheckScryptParams(params).ok() && *n * *r * *p > kMaxScryptWork;
  }
  for (auto& member : object.GetObject()) {
    if (!member.value.IsUint64()) continue;
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    const std::uint64_t value = member.value.GetUint64();
    std::uint64_t lowered = value;
    if (lower_scrypt && name == "n") lowered = std::min<std::uint64_t>(value, 16);
    if (lower_scrypt && name == "r") lowered = std::min<std::uint64_t>(value, 4);
    if (lower_scrypt && name == "p") lowered = std::min<std::uint64_t>(value, 2);
    if (name == "c" && value <= mpp::wallet::kMaxPbkdf2Iterations) {
      lowered = std::min<std::uint64_t>(value, kCheapPbkdf2Rounds);
    }
    if (lowered != value) {
      member.value.SetUint64(lowered);
      changed = true;
    }
  }
  return changed;
}

// The input with kdf costs lowered: the input itself when nothing needed lowering; nullopt when it would
// need lowering but cannot be rewritten.
std::optional<std::string> Affordable(std::string_view text) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (document.HasParseError()) return std::string(text);  // DecryptKeystore stops at parsing too
  bool changed = false;
  std::size_t depth = 0;
  std::vector<std::pair<rapidjson::Value*, std::size_t>> pending{{&document, 1}};
  while (!pending.empty()) {
    auto [value, level] = pending.back();
    pending.pop_back();
    depth = std::max(depth, level);
    if (value->IsObject()) {
      changed |= LowerCosts(*value);
      for (auto& member : value->GetObject()) pending.push_back({&member.value, level + 1});
    } else if (value->IsArray()) {
      for (auto& element : value->GetArray()) pending.push_back({&element, level + 1});
    }
  }
  if (!changed) return std::string(text);
  if (depth > kMaxRewriteDepth) return std::nullopt;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = mpp::fuzz::AsText(data, size);

  auto summary = mpp::wallet::InspectKeyFile(text);
  if (!summary) FUZZ_CHECK(summary.error().kind == mpp::ErrorKind::kWallet);

  const mpp::wallet::PasswordCallback no_password = []() -> mpp::Result<mpp::SecretString> {
    return mpp::MakeError(mpp::ErrorKind::kInterrupted, "no password while fuzzing");
  };
  auto unlocked = mpp::wallet::UnlockKeyFile(text, no_password, "wallet 'fuzz'");
  if (unlocked) {
    // Only a plaintext key file opens without a password, and InspectKeyFile must have said so.
    FUZZ_CHECK(summary && summary->kind == mpp::wallet::KeyFileKind::kInsecurePlaintext);
    if (summary->address) {
      FUZZ_CHECK(*summary->address == mpp::crypto::Address::FromPublicKey(unlocked->GetPublicKey()));
    }
  }

  if (auto affordable = Affordable(text)) {
    const mpp::SecretString password(std::string("fuzz"));
    auto key = mpp::wallet::DecryptKeystore(*affordable, password, "wallet 'fuzz'");
    if (!key) FUZZ_CHECK(key.error().kind == mpp::ErrorKind::kWallet);
  }

  if (size <= 64) (void)mpp::wallet::ParseKeystoreAddress(text);
  return 0;
}
