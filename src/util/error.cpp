#include "util/error.h"

namespace mpp {

int ExitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUnexpected:
      return 1;
    case ErrorKind::kUsage:
      return 2;
    case ErrorKind::kNetwork:
      return 3;
    case ErrorKind::kPaymentRefusedByServer:
      return 4;
    case ErrorKind::kPaymentRefusedLocally:
      return 5;
    case ErrorKind::kChallengeAlreadyPaid:
      return 5;
    case ErrorKind::kWallet:
      return 6;
    case ErrorKind::kInterrupted:
      return 130;
  }
  return 1;
}

}  // namespace mpp
