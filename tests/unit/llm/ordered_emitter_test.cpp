#include "llm/ordered_emitter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>
#include <vector>

namespace mpp::llm {
namespace {

TEST(OrderedEmitter, WritesInOrderAsSoonAsPossible) {
  std::vector<std::string> written;
  OrderedEmitter emitter([&](std::string_view line) { written.emplace_back(line); });
  emitter.Complete(2, "c");
  emitter.Complete(1, "b");
  EXPECT_TRUE(written.empty());
  EXPECT_EQ(emitter.waiting(), 2u);
  emitter.Complete(0, "a");
  EXPECT_EQ(written, (std::vector<std::string>{"a", "b", "c"}));
  emitter.Complete(3, "d");
  EXPECT_EQ(written.size(), 4u);
  EXPECT_EQ(emitter.next_index(), 4u);
  EXPECT_EQ(emitter.waiting(), 0u);
}

TEST(OrderedEmitter, IgnoresRepeatedIndexes) {
  std::vector<std::string> written;
  OrderedEmitter emitter([&](std::string_view line) { written.emplace_back(line); });
  emitter.Complete(0, "a");
  emitter.Complete(0, "again");
  emitter.Complete(2, "c");
  emitter.Complete(2, "c2");
  emitter.Complete(1, "b");
  EXPECT_EQ(written, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(OrderedEmitter, KeepsOrderUnderConcurrentCompletion) {
  constexpr std::size_t kItems = 2000;
  std::vector<std::string> written;
  OrderedEmitter emitter([&](std::string_view line) { written.emplace_back(line); });
  std::vector<std::size_t> order(kItems);
  for (std::size_t i = 0; i < kItems; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(5));
  std::vector<std::thread> workers;
  for (std::size_t w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (std::size_t i = w; i < kItems; i += 4) emitter.Complete(order[i], std::to_string(order[i]));
    });
  }
  for (auto& worker : workers) worker.join();
  ASSERT_EQ(written.size(), kItems);
  for (std::size_t i = 0; i < kItems; ++i) ASSERT_EQ(written[i], std::to_string(i));
}

}  // namespace
}  // namespace mpp::llm
