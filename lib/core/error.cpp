// SPDX-License-Identifier: Apache-2.0
#include "provmark/error.hpp"

namespace provmark {

const char* errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::ok: return "ok";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::unsupported_format: return "unsupported_format";
    case Errc::malformed_input: return "malformed_input";
    case Errc::io: return "io";
    case Errc::crypto: return "crypto";
    case Errc::bad_key: return "bad_key";
    case Errc::limit_exceeded: return "limit_exceeded";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

Error::Error(Errc code, const std::string& message)
    : std::runtime_error(std::string(errc_name(code)) + ": " + message), code_(code) {}

}  // namespace provmark
