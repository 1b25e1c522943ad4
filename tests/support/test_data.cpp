// SPDX-License-Identifier: Apache-2.0
#include "support/test_data.hpp"

#include <unistd.h>
#include <atomic>

#include "provmark/audio_codec.hpp"
#include "provmark/codec.hpp"

namespace provmark::test {

std::filesystem::path data_path(const std::string& name) {
  return std::filesystem::path(PROVMARK_TEST_DATA_DIR) / name;
}

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

const Audio& music_twice() {
  static const Audio twice = [] {
    const Audio once = decode_audio_file(data_path("drascula_track1_8s.ogg")).audio;
    Audio out(2 * once.frames(), once.channels(), once.sample_rate());
    std::copy(once.samples().begin(), once.samples().end(), out.samples().begin());
    std::copy(once.samples().begin(), once.samples().end(),
              out.samples().begin() + static_cast<std::ptrdiff_t>(once.samples().size()));
    return out;
  }();
  return twice;
}

nlohmann::json spec_vectors(const std::string& name) {
  const std::vector<std::uint8_t> text = read_file(std::filesystem::path(PROVMARK_SPEC_DIR) / "test-vectors" / name);
  return nlohmann::json::parse(text.begin(), text.end());
}

WatermarkKey key_from_hex(const std::string& hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return WatermarkKey::from_bytes(bytes);
}

}  // namespace provmark::test
