// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <filesystem>
#include <span>
#include <cstdint>

namespace provmark {

enum class FileMode {
  normal,   ///< 0666 less the umask, like any new file
  private_  ///< 0600 from creation on: for keys, never readable by others, not even briefly
};

/// write_file_atomic with a choice of mode (the public one writes FileMode::normal files).
void write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes, FileMode mode);

}  // namespace provmark
