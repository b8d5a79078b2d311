#include "util/secret.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>

namespace mpp {
namespace {

TEST(SecretBytes, LivesInWholePagesOfItsOwn) {
  const std::uint8_t key[32] = {1, 2, 3};
  SecretBytes secret{ByteView(key, sizeof key)};
  ASSERT_EQ(secret.size(), 32u);
  EXPECT_EQ(secret.data()[2], 3);
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(secret.data()) % page, 0u);  // mmap'd, so lockable alone
}

TEST(SecretBytes, CopiesAndMovesKeepTheBytes) {
  SecretBytes a(100);
  for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = static_cast<std::uint8_t>(i);
  SecretBytes b = a;
  SecretBytes c = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT: moved-from is wiped and empty by contract
  ASSERT_EQ(b.size(), 100u);
  ASSERT_EQ(c.size(), 100u);
  EXPECT_EQ(b.data()[99], 99);
  EXPECT_EQ(c.data()[42], 42);
  b = c;
  EXPECT_EQ(b.data()[7], 7);
}

TEST(LockedPages, AllocatesMoreThanAPage) {
  void* data = AllocateLockedPages(3 * 4096 + 1);
  ASSERT_NE(data, nullptr);
  static_cast<std::uint8_t*>(data)[3 * 4096] = 0xff;
  FreeLockedPages(data, 3 * 4096 + 1);
}

}  // namespace
}  // namespace mpp
