// SPDX-License-Identifier: Apache-2.0
#include "output.hpp"

#include <exception>
#include <iostream>
#include <string>

namespace provmark::cli {

void print_error(std::string_view message) { std::cerr << "provmark: " << message << std::endl; }

ExitCode report_current_exception(std::string_view context) {
  const std::string prefix = context.empty() ? std::string() : std::string(context) + ": ";
  try {
    throw;
  } catch (const Error& e) {
    print_error(prefix + e.what());
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    print_error(prefix + "internal error: " + e.what());
  } catch (...) {
    print_error(prefix + "internal error: unknown exception");
  }
  return ExitCode::internal;
}

}  // namespace provmark::cli
