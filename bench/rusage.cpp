// mpp_rusage: runs one command and reports what it cost, measured by the kernel rather than by a
// shell's `time` (whose CPU figures are in 10 ms steps, coarser than a whole mpp call).
//
//   mpp_rusage COMMAND [ARG...]
//
// The command inherits stdin, stdout and stderr. When it has ended, one line goes to stderr:
//   mpp_rusage: {"status":0,"wall_us":N,"user_us":N,"sys_us":N,"maxrss_kib":N}
// status is the exit code, or 128 + the signal number. wall_us runs from just before fork to just after
// wait4; user_us, sys_us and maxrss_kib are wait4's rusage of that one process (threads included,
// children it spawned not). Exits with the command's status, or 127 when it could not be started.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace {

long long Micros(const timeval& t) { return static_cast<long long>(t.tv_sec) * 1'000'000 + t.tv_usec; }

long long MonotonicMicros() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: mpp_rusage COMMAND [ARG...]\n");
    return 2;
  }
  const long long started = MonotonicMicros();
  const pid_t child = fork();
  if (child < 0) {
    std::fprintf(stderr, "mpp_rusage: fork: %s\n", std::strerror(errno));
    return 127;
  }
  if (child == 0) {
    execvp(argv[1], argv + 1);
    std::fprintf(stderr, "mpp_rusage: cannot run %s: %s\n", argv[1], std::strerror(errno));
    _exit(127);
  }
  int wait_status = 0;
  rusage usage{};
  while (wait4(child, &wait_status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "mpp_rusage: wait4: %s\n", std::strerror(errno));
      return 127;
    }
  }
  const long long wall = MonotonicMicros() - started;
  const int status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  std::fprintf(
      stderr,
      "mpp_rusage: {\"status\":%d,\"wall_us\":%lld,\"user_us\":%lld,\"sys_us\":%lld,\"maxrss_kib\":%ld}\n",
      status, wall, Micros(usage.ru_utime), Micros(usage.ru_stime), usage.ru_maxrss);
  return status;
}
