#include "util/clock.h"

#include <chrono>

namespace mpp {

std::int64_t UnixNow() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace mpp
