// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>

#include "provmark/error.hpp"

namespace provmark {

/// Throws Error(code, message); one place to build every error.
[[noreturn]] inline void fail(Errc code, const std::string& message) { throw Error(code, message); }

}  // namespace provmark
