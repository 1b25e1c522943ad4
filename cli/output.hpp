// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// How the provmark command reports errors: "provmark: <message>" on stderr plus an exit code.

#include <string_view>

#include "exit_codes.hpp"

namespace provmark::cli {

/// Writes "provmark: <message>" to stderr.
void print_error(std::string_view message);

/// Call inside a catch block: prints the exception in flight (prefixed with `context: ` when
/// given) and returns its exit code. provmark::Error messages already name their code and
/// never contain key material.
[[nodiscard]] ExitCode report_current_exception(std::string_view context = {});

}  // namespace provmark::cli
