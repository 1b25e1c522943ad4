// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Typed errors. An Error means "could not do it" (bad input, I/O, limits, configuration).
/// Answers such as "no watermark found" are values in result structs, never errors.

#include <stdexcept>
#include <string>

namespace provmark {

/// Stable error codes (spec/README.md#error-codes). The numbers never change; they are also the
/// CLI's exit-code basis and the Python exception names.
enum class Errc : int {
  ok = 0,
  invalid_argument = 1,    ///< the caller passed something meaningless (bad view, bad hex, ...)
  unsupported_format = 2,  ///< a format or feature provmark does not handle
  malformed_input = 3,     ///< truncated, corrupt or hostile input
  io = 4,                  ///< reading or writing a file failed
  crypto = 5,              ///< a cryptographic primitive failed
  bad_key = 6,             ///< a key file or key material is invalid
  limit_exceeded = 7,      ///< input exceeds a configured Limits value
  internal = 99,           ///< a bug in provmark
};

/// The snake_case name of a code ("malformed_input").
[[nodiscard]] const char* errc_name(Errc code) noexcept;

/// The exception every provmark function throws. Thread safety: immutable.
class Error : public std::runtime_error {
 public:
  Error(Errc code, const std::string& message);
  [[nodiscard]] Errc code() const noexcept { return code_; }

 private:
  Errc code_;
};

}  // namespace provmark
