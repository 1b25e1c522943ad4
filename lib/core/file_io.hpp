// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <filesystem>
#include <span>
#include <cstdint>
#include <string>
#include <unistd.h>

namespace provmark {

enum class FileMode {
  normal,   ///< 0666 less the umask, like any new file
  private_  ///< 0600 from creation on: for keys, never readable by others, not even briefly
};

/// "WHAT 'PATH': strerror(errno)", for Error(io) messages after a failed system call.
[[nodiscard]] std::string describe_errno(const std::string& what, const std::filesystem::path& path);

/// Closes the descriptor on every path out of a scope.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int descriptor) : fd(descriptor) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// write_file_atomic with a choice of mode (the public one writes FileMode::normal files).
void write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes, FileMode mode);

}  // namespace provmark
