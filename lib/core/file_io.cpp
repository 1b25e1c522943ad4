// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/fail.hpp"
#include "core/file_io.hpp"
#include "provmark/codec.hpp"

namespace provmark {

std::string describe_errno(const std::string& what, const std::filesystem::path& path) {
  return what + " '" + path.string() + "': " + std::strerror(errno);
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path, const Limits& limits) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) fail(Errc::io, describe_errno("cannot open", path));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) fail(Errc::io, describe_errno("cannot stat", path));
  if (!S_ISREG(st.st_mode)) fail(Errc::io, "not a regular file: '" + path.string() + "'");
  if (static_cast<std::uint64_t>(st.st_size) > limits.max_file_bytes)
    fail(Errc::limit_exceeded, "file '" + path.string() + "' has " + std::to_string(st.st_size) +
                                   " bytes, more than the limit of " + std::to_string(limits.max_file_bytes));
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(file.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(Errc::io, describe_errno("cannot read", path));
    if (n == 0) break;  // the file shrank while we read it
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

void write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes, FileMode mode) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  // Built piece by piece: GCC 12 warns falsely (-Wrestrict, bug 105651) on "." + string + "...".
  std::string name = ".";
  name += path.filename().string();
  name += ".tmp-XXXXXX";
  std::string tmpl = (dir / name).string();
  Fd file{::mkstemp(tmpl.data())};
  if (file.fd < 0) fail(Errc::io, describe_errno("cannot create a temporary file in", dir));
  auto give_up = [&](const std::string& what) {
    const std::string message = describe_errno(what, path);
    ::unlink(tmpl.c_str());
    fail(Errc::io, message);
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(file.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) give_up("cannot write");
    done += static_cast<std::size_t>(n);
  }
  if (mode == FileMode::normal) {
    // mkstemp creates 0600; give the output the usual 0666-under-umask mode. (umask can only be
    // read by setting it; the value is put back at once.)
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(file.fd, 0666 & ~mask) != 0) give_up("cannot set the mode of");
  }
  if (::fsync(file.fd) != 0) give_up("cannot flush");
  if (::close(file.fd) != 0) {
    file.fd = -1;
    give_up("cannot close");
  }
  file.fd = -1;
  if (::rename(tmpl.c_str(), path.c_str()) != 0) give_up("cannot rename the temporary file onto");
}

void write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  write_file_atomic(path, bytes, FileMode::normal);
}

}  // namespace provmark
