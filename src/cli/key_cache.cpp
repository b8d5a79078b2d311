#include "cli/key_cache.h"

#include <memory>
#include <mutex>
#include <optional>

namespace mpp::cli {
namespace {

struct KeyCache {
  std::mutex mutex;
  protocol::KeySource inner;
  std::optional<Result<crypto::PrivateKey>> resolved;
};

}  // namespace

protocol::KeySource CachingKeySource(protocol::KeySource inner) {
  auto cache = std::make_shared<KeyCache>();
  cache->inner = std::move(inner);
  return [cache]() -> Result<crypto::PrivateKey> {
    std::lock_guard lock(cache->mutex);
    if (!cache->resolved) {
      cache->resolved.emplace(cache->inner());
      cache->inner = nullptr;  // nothing more to ask
    }
    const Result<crypto::PrivateKey>& resolved = *cache->resolved;
    if (!resolved) return resolved.error();
    auto copy = crypto::PrivateKey::FromBytes(resolved->bytes());
    if (!copy) return MakeError(ErrorKind::kUnexpected, "the cached signing key could not be copied");
    return std::move(*copy);
  };
}

}  // namespace mpp::cli
