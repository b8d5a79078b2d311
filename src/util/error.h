// Errors as values: one error type, carrying the category that decides the exit code.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace mpp {

// What went wrong, as the caller must react to it. Each kind maps to one documented exit code.
enum class ErrorKind {
  kUnexpected,              // 1: a bug or an unforeseen condition
  kUsage,                   // 2: bad flags or bad input
  kNetwork,                 // 3: network or HTTP error (also: connection lost after paying, outcome unknown)
  kPaymentRefusedByServer,  // 4: payment sent but refused by the server
  kPaymentRefusedLocally,   // 5: over a cap or budget, expired or unsupported challenge, wrong chain
  kChallengeAlreadyPaid,    // 5: the journal already has a payment for this challenge id (the pay flow
                            //    asks for a fresh challenge; see PaymentLedger::RecordSigned)
  kWallet,                  // 6: wallet or key problem
  kInterrupted,             // 130: SIGINT
};

// The process exit code for an error kind.
int ExitCode(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kUnexpected;
  std::string message;  // one line, names the problem and, where possible, the fix; never secret
};

inline Error MakeError(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

// A value or an Error (std::expected arrives with C++23).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace mpp
