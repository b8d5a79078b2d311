#include "cli/chat_inputs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace mpp::cli {
namespace {

namespace fs = std::filesystem;

class ChatInputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mpp-inputs-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, std::string_view bytes) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path.string();
  }
  // No test here may reach the network: a transport factory that fails the test if asked.
  Services NoNetwork() {
    Services services;
    services.transport = [](const net::TransportLimits&) -> std::unique_ptr<net::HttpTransport> {
      ADD_FAILURE() << "a transport was asked for";
      return nullptr;
    };
    return services;
  }
  fs::path dir_;
};

TEST(CheckContextText, TextPassesBinaryIsRefusedWithTheFix) {
  EXPECT_TRUE(CheckContextText("-f a.md", "# Title\nnaïve café ✓\n"));
  auto nul = CheckContextText("-f a.bin", std::string_view("ab\0cd", 5));
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(nul.error().message,
            "-f a.bin: not a text file (it holds NUL bytes); -f takes text; give an image with -a");
  auto latin1 = CheckContextText("-f old.txt", "caf\xe9\n");
  ASSERT_FALSE(latin1);
  EXPECT_NE(latin1.error().message.find("invalid UTF-8"), std::string::npos);
}

TEST(ImageMimeType, KnowsTheFourFormatsByTheirBytes) {
  EXPECT_EQ(ImageMimeType(AsBytes("\x89PNG\r\n\x1a\n....")), "image/png");
  EXPECT_EQ(ImageMimeType(AsBytes("\xff\xd8\xff\xe0")), "image/jpeg");
  EXPECT_EQ(ImageMimeType(AsBytes("GIF89a...")), "image/gif");
  EXPECT_EQ(ImageMimeType(AsBytes(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16))), "image/webp");
  EXPECT_EQ(ImageMimeType(AsBytes(std::string_view("RIFF\x10\0\0\0WAVEfmt ", 16))), std::nullopt);
  EXPECT_EQ(ImageMimeType(AsBytes("<svg xmlns=")), std::nullopt);
  EXPECT_EQ(ImageMimeType(AsBytes("\x89PN")), std::nullopt);
}

TEST(IsHttpUrl, SchemeOnly) {
  EXPECT_TRUE(IsHttpUrl("https://example.com/a.txt"));
  EXPECT_TRUE(IsHttpUrl("HTTP://example.com"));
  EXPECT_FALSE(IsHttpUrl("http://"));
  EXPECT_FALSE(IsHttpUrl("ftp://example.com"));
  EXPECT_FALSE(IsHttpUrl("./https://x"));
}

TEST_F(ChatInputsTest, FilesAreReadInOrderAndStdinIsTakenByDash) {
  std::string rules = Write("RULES.md", "\xEF\xBB\xBFRule 1\n");
  std::optional<std::string> piped = std::string("piped text");
  auto files = ReadContextFiles({rules, "-"}, piped, NoNetwork());
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].name, rules);
  EXPECT_EQ((*files)[0].text, "Rule 1\n");  // the BOM is not text
  EXPECT_EQ((*files)[1].name, "stdin");
  EXPECT_EQ((*files)[1].text, "piped text");
  EXPECT_FALSE(piped) << "stdin went into the file; it must not also lead the message";
}

TEST_F(ChatInputsTest, RefusesWhatCannotBeSentAsText) {
  std::optional<std::string> piped;
  auto refused = [&](const std::vector<std::string>& specs) {
    auto files = ReadContextFiles(specs, piped, NoNetwork());
    EXPECT_FALSE(files);
    return files ? std::string() : files.error().message;
  };
  EXPECT_EQ(refused({"-"}), "-f -: standard input is a terminal; pipe the text into mpp");
  EXPECT_NE(refused({(dir_ / "missing.md").string()}).find("cannot read the file"), std::string::npos);
  EXPECT_NE(refused({dir_.string()}).find("is a directory"), std::string::npos);
  EXPECT_NE(refused({Write("a.png", "\x89PNG\r\n\x1a\n\0\0")}).find("not a text file"), std::string::npos);
  std::string big(kMaxContextFileBytes + 1, 'a');
  EXPECT_NE(refused({Write("big.txt", big)}).find("larger than 1 MiB"), std::string::npos);
  piped = "x";
  EXPECT_EQ(refused({"-", "-"}), "-f - is given twice; standard input can be read once");
}

TEST_F(ChatInputsTest, AFileOfExactlyTheLimitIsTaken) {
  std::optional<std::string> piped;
  auto files =
      ReadContextFiles({Write("max.txt", std::string(kMaxContextFileBytes, 'a'))}, piped, NoNetwork());
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->at(0).text.size(), kMaxContextFileBytes);
}

TEST_F(ChatInputsTest, ImagesBecomeDataUrlsAndUrlsPassThrough) {
  std::string png = Write("dot.png", std::string_view("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  auto urls = ReadAttachments({png, "https://example.com/cat.jpg"});
  ASSERT_TRUE(urls) << urls.error().message;
  ASSERT_EQ(urls->size(), 2u);
  EXPECT_EQ((*urls)[0], "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==");
  EXPECT_EQ((*urls)[1], "https://example.com/cat.jpg");
  auto text = ReadAttachments({Write("notes.txt", "hello")});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, ErrorKind::kUsage);
  EXPECT_NE(text.error().message.find("not a PNG, JPEG, GIF or WebP image"), std::string::npos);
}

}  // namespace
}  // namespace mpp::cli
