#include "cli/key_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "util/hex.h"

namespace mpp::cli {
namespace {

constexpr const char* kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

TEST(CachingKeySource, ResolvesOnceForManyThreads) {
  std::atomic<int> calls{0};
  protocol::KeySource keys = CachingKeySource([&calls]() -> Result<crypto::PrivateKey> {
    ++calls;
    return *crypto::PrivateKey::FromBytes(*FromHex(kKey));
  });
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto key = keys();
      if (key && ToHex(key->bytes()) == kKey) ++good;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(good.load(), 8);
}

TEST(CachingKeySource, RemembersAFailureInsteadOfAskingAgain) {
  int calls = 0;
  protocol::KeySource keys = CachingKeySource([&calls]() -> Result<crypto::PrivateKey> {
    ++calls;
    return MakeError(ErrorKind::kWallet, "wrong password");
  });
  for (int i = 0; i < 3; ++i) {
    auto key = keys();
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().kind, ErrorKind::kWallet);
  }
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace mpp::cli
