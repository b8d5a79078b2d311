#include "tempo/memo.h"

#include <algorithm>

#include "crypto/keccak.h"

namespace mpp::tempo {
namespace {

constexpr std::uint8_t kMemoVersion = 0x01;

// The first `count` bytes of keccak256(text), written at `offset` of `memo`.
void PutFingerprint(Hash32& memo, std::size_t offset, std::string_view text, std::size_t count) {
  Hash32 hash = crypto::Keccak256Hash(AsBytes(text));
  std::copy_n(hash.begin(), count, memo.begin() + static_cast<std::ptrdiff_t>(offset));
}

}  // namespace

Hash32 AttributionMemo(std::string_view realm, std::string_view client_id, std::string_view challenge_id) {
  Hash32 memo{};
  PutFingerprint(memo, 0, "mpp", 4);
  memo[4] = kMemoVersion;
  PutFingerprint(memo, 5, realm, 10);
  if (!client_id.empty()) PutFingerprint(memo, 15, client_id, 10);
  PutFingerprint(memo, 25, challenge_id, 7);
  return memo;
}

bool IsAttributionMemo(const Hash32& memo) {
  Hash32 tag = crypto::Keccak256Hash(AsBytes("mpp"));
  return std::equal(tag.begin(), tag.begin() + 4, memo.begin()) && memo[4] == kMemoVersion;
}

}  // namespace mpp::tempo
