#include "util/files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mpp::files {
namespace {

namespace fs = std::filesystem;

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class FilesScratchDir {
 public:
  FilesScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/mpp-files-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) != nullptr ? fs::path(pattern) : fs::path();
  }
  FilesScratchDir(const FilesScratchDir&) = delete;
  FilesScratchDir& operator=(const FilesScratchDir&) = delete;
  ~FilesScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string Contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Files, FailuresCarryTheKindTheCallerNamesAndThePath) {
  FilesScratchDir dir;
  const fs::path missing = dir.path() / "missing" / "file";
  auto opened = Open(missing, O_RDONLY, 0, ErrorKind::kUnexpected);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, ErrorKind::kUnexpected);
  EXPECT_EQ(opened.error().message, "cannot open " + missing.string() + ": No such file or directory");
  auto read = ReadCapped(missing, 10, ErrorKind::kWallet);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind, ErrorKind::kWallet);
}

TEST(Files, WriteAtomicThenReadCappedRoundTripsAndTheCapRefusesMore) {
  FilesScratchDir dir;
  const fs::path file = dir.path() / "log.jsonl";
  ASSERT_TRUE(WriteAtomic(file, "0123456789", ExistingFile::kReplace, 0600, ErrorKind::kUnexpected));
  auto whole = ReadCapped(file, 10, ErrorKind::kUnexpected);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(*whole, "0123456789");
  auto over = ReadCapped(file, 9, ErrorKind::kUnexpected);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message, file.string() + " is larger than 9 bytes; refusing to read it");
  auto refused = WriteAtomic(file, "other", ExistingFile::kRefuse, 0600, ErrorKind::kUnexpected);
  ASSERT_FALSE(refused);
  EXPECT_EQ(Contents(file), "0123456789");
}

TEST(Files, ReadCappedWithNoFollowRefusesASymbolicLink) {
  FilesScratchDir dir;
  const fs::path target = dir.path() / "target";
  ASSERT_TRUE(WriteAtomic(target, "x", ExistingFile::kReplace, 0600, ErrorKind::kUnexpected));
  const fs::path link = dir.path() / "link";
  fs::create_symlink(target, link);
  EXPECT_TRUE(ReadCapped(link, 10, ErrorKind::kUnexpected));  // followed without O_NOFOLLOW
  auto refused = ReadCapped(link, 10, ErrorKind::kUnexpected, O_NOFOLLOW);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("cannot open"), std::string::npos);
}

TEST(Files, WriteAllAppendsEveryByte) {
  FilesScratchDir dir;
  const fs::path file = dir.path() / "append";
  std::string big(200 * 1024, 'a');
  for (int i = 0; i < 2; ++i) {
    auto fd = Open(file, O_WRONLY | O_CREAT | O_APPEND, 0600, ErrorKind::kUnexpected);
    ASSERT_TRUE(fd);
    ASSERT_TRUE(WriteAll(fd->get(), big, file, ErrorKind::kUnexpected));
  }
  EXPECT_EQ(Contents(file).size(), 2 * big.size());
}

}  // namespace
}  // namespace mpp::files
