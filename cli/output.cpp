// SPDX-License-Identifier: Apache-2.0
#include "output.hpp"

#include <algorithm>
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

std::string_view media_name(std::span<const std::uint8_t> head) {
  const auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return head.size() >= at + magic.size() &&
           std::equal(magic.begin(), magic.end(), head.begin() + static_cast<std::ptrdiff_t>(at),
                      [](char m, std::uint8_t b) { return static_cast<std::uint8_t>(m) == b; });
  };
  if (starts("\xFF\xD8")) return "jpeg";
  if (starts("\x89PNG")) return "png";
  if (starts("RIFF") && starts("WAVE", 8)) return "wav";
  if (starts("fLaC")) return "flac";
  if (starts("OggS")) return "ogg";
  if (starts("ftyp", 4)) return "mp4";
  if (starts("ID3") || (head.size() >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)) return "mp3";
  return "";
}

}  // namespace provmark::cli
