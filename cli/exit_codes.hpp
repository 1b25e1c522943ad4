// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The exit codes of the provmark command: one table, used by the code and by the --help footer.

#include <array>
#include <string>

#include "provmark/error.hpp"

namespace provmark::cli {

enum class ExitCode : int {
  success = 0,           ///< done; for detect: a watermark was found
  not_found = 1,         ///< detect: no watermark found (an answer, not an error)
  usage = 2,             ///< bad command line
  bad_input = 3,         ///< Errc::malformed_input, Errc::unsupported_format
  io = 4,                ///< Errc::io
  bad_key = 5,           ///< Errc::bad_key
  limit_exceeded = 6,    ///< Errc::limit_exceeded
  crypto = 7,            ///< Errc::crypto
  invalid_argument = 8,  ///< Errc::invalid_argument
  invalid_manifest = 9,  ///< inspect: the C2PA manifest is Invalid (an answer, not an error)
  no_manifest = 10,      ///< inspect: the file has no C2PA manifest (an answer, not an error)
  internal = 70,         ///< Errc::internal or an unexpected exception (EX_SOFTWARE of sysexits.h)
};

struct ExitCodeDoc {
  ExitCode code;
  const char* meaning;
};

inline constexpr std::array<ExitCodeDoc, 12> exit_code_table{{
    {ExitCode::success, "success; detect: watermark found (in every file); inspect: Valid or Trusted;\n"
     "        verify: AI evidence in every file"},
    {ExitCode::not_found, "detect: no watermark found; verify: no evidence (in at least one file)"},
    {ExitCode::usage, "usage error (unknown option, missing argument, ...)"},
    {ExitCode::bad_input, "malformed or unsupported input file"},
    {ExitCode::io, "I/O error (missing file, permission, disk full, ...)"},
    {ExitCode::bad_key, "invalid key file"},
    {ExitCode::limit_exceeded, "input exceeds a size limit"},
    {ExitCode::crypto, "cryptographic failure"},
    {ExitCode::invalid_argument, "invalid argument value (payload, strength, ...)"},
    {ExitCode::invalid_manifest, "inspect: the C2PA manifest is Invalid"},
    {ExitCode::no_manifest, "inspect: no C2PA manifest in the file"},
    {ExitCode::internal, "internal error (a bug: please report it)"},
}};

[[nodiscard]] constexpr ExitCode exit_code_for(Errc code) noexcept {
  switch (code) {
    case Errc::malformed_input:
    case Errc::unsupported_format: return ExitCode::bad_input;
    case Errc::io: return ExitCode::io;
    case Errc::bad_key: return ExitCode::bad_key;
    case Errc::limit_exceeded: return ExitCode::limit_exceeded;
    case Errc::crypto: return ExitCode::crypto;
    case Errc::invalid_argument: return ExitCode::invalid_argument;
    case Errc::ok:  // an Error never carries ok: treat it as a bug
    case Errc::internal: return ExitCode::internal;
  }
  return ExitCode::internal;
}

/// The "Exit codes:" block printed at the end of `provmark --help`.
[[nodiscard]] inline std::string exit_code_help() {
  std::string text = "Exit codes:\n";
  for (const auto& [code, meaning] : exit_code_table) {
    const std::string number = std::to_string(static_cast<int>(code));
    text += "  " + std::string(4 - number.size(), ' ') + number + "  " + meaning + "\n";
  }
  return text;
}

}  // namespace provmark::cli
