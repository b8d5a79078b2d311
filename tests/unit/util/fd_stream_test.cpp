#include "util/fd_stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <sstream>

namespace mpp {
namespace {

TEST(FdOutputStream, WritesThroughToTheDescriptor) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    FdOutputStream out(fds[1]);
    out << "hello " << 42;
    out.flush();
    EXPECT_TRUE(out);
    EXPECT_EQ(out.error(), 0);
  }
  char buffer[16] = {};
  EXPECT_EQ(::read(fds[0], buffer, sizeof buffer), 8);
  EXPECT_STREQ(buffer, "hello 42");
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(FdOutputStream, AFullDiskFailsTheStreamAndKeepsTheReason) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "no /dev/full";
  FdOutputStream out(fd);
  out << "lost";
  out.flush();
  EXPECT_FALSE(out);
  EXPECT_EQ(out.error(), ENOSPC);
  EXPECT_EQ(StreamWriteError(out), ENOSPC);
  ::close(fd);
}

TEST(FdOutputStream, AReaderThatWentAwayIsEpipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  auto previous = std::signal(SIGPIPE, SIG_IGN);
  FdOutputStream out(fds[1]);
  out << "nobody reads";
  out.flush();
  EXPECT_EQ(out.error(), EPIPE);
  std::signal(SIGPIPE, previous);
  ::close(fds[1]);
}

TEST(StreamWriteError, OtherStreamsReportOnlyGoodOrFailed) {
  std::ostringstream good;
  EXPECT_EQ(StreamWriteError(good), 0);
  good.setstate(std::ios::badbit);
  EXPECT_EQ(StreamWriteError(good), EIO);
}

}  // namespace
}  // namespace mpp
