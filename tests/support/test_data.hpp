// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "provmark/audio.hpp"
#include "provmark/image.hpp"
#include "provmark/watermark.hpp"

namespace provmark::test {

/// Path of a file under tests/data.
std::filesystem::path data_path(const std::string& name);
/// A committed photo, decoded (rgb8, or gray8 for gray ones; tests/data/README.md lists them).
Image load_photo(const std::string& name);
/// The text of tests/data/test-watermark.key: a fixed watermark key, so robustness checks are deterministic.
std::vector<std::uint8_t> fixed_key_text();

/// tests/data/drascula_track1_8s.ogg decoded and played twice: 16 s of stereo music, longer than the audio
/// watermark's 9.216 s period, so that a fresh payload per run leaves robustness checks a margin.
const Audio& music_twice();

/// The parsed known-answer file spec/test-vectors/NAME.
nlohmann::json spec_vectors(const std::string& name);
/// The key of a vectors file's "key_hex".
WatermarkKey key_from_hex(const std::string& hex);

/// A fresh, empty temporary folder for one test (removed by the OS's tmp cleaning).
std::filesystem::path temp_dir(const std::string& tag);

}  // namespace provmark::test
