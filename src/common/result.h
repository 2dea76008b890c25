// Errors as values: every fallible function at a module edge returns Result<T> or Status.
// An Error carries one line a user can act on: what was wrong and where (file:line, field).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cinerec {

struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Status is Result<void>: success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace cinerec

// Propagates an error from an expression returning Status or Result<T>.
#define CINEREC_TRY(expr)                                 \
  do {                                                    \
    auto cinerec_try_result_ = (expr);                    \
    if (!cinerec_try_result_.ok())                        \
      return ::cinerec::Error{cinerec_try_result_.error()}; \
  } while (0)
