#include "util/clock.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "util/interrupt.h"

namespace mpp {

std::int64_t UnixNow() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

bool PauseUnlessInterrupted(std::int64_t ms) {
  using namespace std::chrono;
  const auto until = steady_clock::now() + milliseconds(std::max<std::int64_t>(ms, 0));
  while (!InterruptRequested()) {
    const auto left = until - steady_clock::now();
    if (left <= nanoseconds::zero()) return true;
    std::this_thread::sleep_for(std::min<nanoseconds>(left, milliseconds(50)));
  }
  return false;
}

}  // namespace mpp
