// SPDX-License-Identifier: Apache-2.0
#include "support/test_data.hpp"

#include <atomic>
#include <unistd.h>

#include "provmark/codec.hpp"

namespace provmark::test {

std::filesystem::path data_path(const std::string& name) { return std::filesystem::path(PROVMARK_TEST_DATA_DIR) / name; }

Image load_photo(const std::string& name) { return decode_image(read_file(data_path(name))); }

std::filesystem::path temp_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("provmark-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + tag);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace provmark::test

namespace provmark::test {

std::vector<std::uint8_t> fixed_key_text() { return read_file(data_path("test-watermark.key")); }

}  // namespace provmark::test
