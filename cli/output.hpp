// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// How the provmark command reports errors: "provmark: <message>" on stderr plus an exit code.

#include <cstdint>
#include <span>
#include <string_view>

#include "exit_codes.hpp"

namespace provmark::cli {

/// Writes "provmark: <message>" to stderr.
void print_error(std::string_view message);

/// Call inside a catch block: prints the exception in flight (prefixed with `context: ` when
/// given) and returns its exit code. provmark::Error messages already name their code and
/// never contain key material.
[[nodiscard]] ExitCode report_current_exception(std::string_view context = {});

/// The kind of media file from its first bytes: "jpeg", "png", "wav", "mp3", "flac", "ogg", "mp4", or "" when
/// unknown. Images and audio take different paths in embed, detect and label.
[[nodiscard]] std::string_view media_name(std::span<const std::uint8_t> head);
[[nodiscard]] inline bool is_image(std::string_view media) { return media == "jpeg" || media == "png"; }

}  // namespace provmark::cli
