#include "util/base64url.h"

#include <gtest/gtest.h>

namespace mpp {
namespace {

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(EncodeBase64Url(std::string_view("")), "");
  EXPECT_EQ(EncodeBase64Url(std::string_view("f")), "Zg");
  EXPECT_EQ(EncodeBase64Url(std::string_view("fo")), "Zm8");
  EXPECT_EQ(EncodeBase64Url(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(EncodeBase64Url(std::string_view("foobar")), "Zm9vYmFy");
}

TEST(Base64Url, UsesTheUrlAlphabet) {
  EXPECT_EQ(EncodeBase64Url(Bytes{0xfb, 0xff}), "-_8");
  EXPECT_EQ(DecodeBase64Url("-_8"), (Bytes{0xfb, 0xff}));
}

TEST(Base64, StandardAlphabetWithPaddingForDataUrls) {
  EXPECT_EQ(EncodeBase64(AsBytes("")), "");
  EXPECT_EQ(EncodeBase64(AsBytes("f")), "Zg==");
  EXPECT_EQ(EncodeBase64(AsBytes("fo")), "Zm8=");
  EXPECT_EQ(EncodeBase64(AsBytes("foo")), "Zm9v");
  EXPECT_EQ(EncodeBase64(AsBytes("foob")), "Zm9vYg==");
  EXPECT_EQ(EncodeBase64(Bytes{0xfb, 0xff}), "+/8=");
}

TEST(Base64Url, RoundTripsAllLengthsUpTo64) {
  for (std::size_t n = 0; n <= 64; ++n) {
    Bytes bytes;
    for (std::size_t i = 0; i < n; ++i) bytes.push_back(static_cast<std::uint8_t>(i * 37 + 250));
    std::string text = EncodeBase64Url(bytes);
    EXPECT_EQ(text.find('='), std::string::npos);
    EXPECT_EQ(DecodeBase64Url(text), bytes) << "length " << n;
  }
}

TEST(Base64Url, RejectsPadding) {
  EXPECT_FALSE(DecodeBase64Url("Zg=="));
  EXPECT_FALSE(DecodeBase64Url("Zm8="));
}

TEST(Base64Url, RejectsWhitespace) {
  EXPECT_FALSE(DecodeBase64Url("Zm9v "));
  EXPECT_FALSE(DecodeBase64Url(" Zm9v"));
  EXPECT_FALSE(DecodeBase64Url("Zm\n9v"));
}

TEST(Base64Url, RejectsTheStandardAlphabetsPlusAndSlash) {
  EXPECT_FALSE(DecodeBase64Url("+_8"));
  EXPECT_FALSE(DecodeBase64Url("-/8"));
}

TEST(Base64Url, RejectsLengthOneModFour) {
  EXPECT_FALSE(DecodeBase64Url("A"));
  EXPECT_FALSE(DecodeBase64Url("Zm9vY"));
}

TEST(Base64Url, RejectsNonZeroTrailingBits) {
  EXPECT_EQ(DecodeBase64Url("AA"), Bytes{0});
  EXPECT_FALSE(DecodeBase64Url("AB"));
  EXPECT_EQ(DecodeBase64Url("Zm8"), (Bytes{'f', 'o'}));
  EXPECT_FALSE(DecodeBase64Url("Zm9"));
}

}  // namespace
}  // namespace mpp
