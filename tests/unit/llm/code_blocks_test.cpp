#include "llm/code_blocks.h"

#include <gtest/gtest.h>

namespace mpp::llm {
namespace {

constexpr std::string_view kTwoBlocks =
    "Here:\n```python\nprint(1)\n```\nand then\n~~~~sh\nls -l\n~~~~\ndone\n";

TEST(ExtractFencedCode, TheFirstBlockOrTheLast) {
  EXPECT_EQ(ExtractFencedCode(kTwoBlocks), "print(1)\n");
  EXPECT_EQ(ExtractFencedCode(kTwoBlocks, true), "ls -l\n");
}

TEST(ExtractFencedCode, NoneWithoutAFence) {
  EXPECT_EQ(ExtractFencedCode("just text with `inline` code\n"), std::nullopt);
  EXPECT_EQ(ExtractFencedCode(""), std::nullopt);
  EXPECT_EQ(ExtractFencedCode("``not a fence``\n"), std::nullopt);
  EXPECT_EQ(ExtractFencedCode("```inline```\n"), std::nullopt);  // backticks in a backtick info string
  EXPECT_EQ(ExtractFencedCode("    ```\n    indented code\n    ```\n"), std::nullopt);  // four spaces: code
}

TEST(ExtractFencedCode, AFenceClosesOnlyWithAsManyOfTheSameCharacter) {
  EXPECT_EQ(ExtractFencedCode("````md\n```js\nx\n```\n````\n"), "```js\nx\n```\n");
  EXPECT_EQ(ExtractFencedCode("```\na\n~~~\nb\n```\n"), "a\n~~~\nb\n");
  EXPECT_EQ(ExtractFencedCode("```\na\n``` not closing\nb\n```  \n"), "a\n``` not closing\nb\n");
}

TEST(ExtractFencedCode, AnUnclosedFenceRunsToTheEnd) {
  EXPECT_EQ(ExtractFencedCode("```c\nint main() {\n  return 0;"), "int main() {\n  return 0;\n");
  EXPECT_EQ(ExtractFencedCode("a\n```c\nx\n```\n```\ncut off", true), "cut off\n");
}

TEST(ExtractFencedCode, CrlfLinesAndAnEmptyBlock) {
  EXPECT_EQ(ExtractFencedCode("```\r\nx = 1\r\n```\r\n"), "x = 1\r\n");
  EXPECT_EQ(ExtractFencedCode("```\n```\nafter"), "");
}

}  // namespace
}  // namespace mpp::llm
