// SPDX-License-Identifier: Apache-2.0
// Watermarking files: JPEG and PNG in, the same container out, metadata kept, nothing half-written.
#include <doctest/doctest.h>

#include <zlib.h>

#include <filesystem>

#include "codecs/jpeg.hpp"
#include "codecs/png.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/watermark.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using test::error_code_of;
namespace fs = std::filesystem;

namespace {


bool folder_is_empty(const fs::path& dir) { return fs::directory_iterator(dir) == fs::directory_iterator(); }

}  // namespace

TEST_SUITE("watermark/file") {
  TEST_CASE("a JPEG keeps its container, subsampling, quality and metadata and carries the payload") {
    const fs::path dir = test::temp_dir("wm-jpeg");
    const WatermarkKey key = WatermarkKey::generate();
    const Payload payload = Payload::from_hex("a1b2c3d4e5f60718");
    embed_file(test::data_path("rocket.jpg"), dir / "out.jpg", payload, key);

    const auto before = codecs::parse_jpeg(read_file(test::data_path("rocket.jpg")));
    const auto after = codecs::parse_jpeg(read_file(dir / "out.jpg"));
    CHECK(after.subsampling == before.subsampling);
    CHECK(std::abs(after.estimated_quality - before.estimated_quality) <= 1);
    REQUIRE(after.metadata.size() == before.metadata.size());
    for (std::size_t i = 0; i < before.metadata.size(); ++i) {
      CHECK(after.metadata[i].marker == before.metadata[i].marker);
      CHECK(after.metadata[i].payload == before.metadata[i].payload);
    }
    const DetectResult r = detect_file(dir / "out.jpg", key);
    CHECK(r.found);
    CHECK(r.payload == payload);
    CHECK_FALSE(detect_file(test::data_path("rocket.jpg"), key).found);
  }

  TEST_CASE("a PNG keeps its ancillary chunks and carries the payload") {
    const fs::path dir = test::temp_dir("wm-png");
    const WatermarkKey key = WatermarkKey::generate();
    const Payload payload = Payload::from_u64(77);
    const auto original = read_file(test::data_path("chelsea.png"));
    const std::vector<std::uint8_t> marked = embed_encoded(original, payload, key);
    const auto before = codecs::decode_png(original, {});
    const auto after = codecs::decode_png(marked, {});
    REQUIRE(after.ancillary.size() == before.ancillary.size());
    for (std::size_t i = 0; i < before.ancillary.size(); ++i) {
      CHECK(after.ancillary[i].type == before.ancillary[i].type);
      CHECK(after.ancillary[i].data == before.ancillary[i].data);
    }
    const DetectResult r = detect_encoded(marked, key);
    CHECK(r.found);
    CHECK(r.payload == payload);
  }

  TEST_CASE("corrupt, truncated, empty and huge-header files are typed errors and leave no output") {
    const fs::path dir = test::temp_dir("wm-bad");
    const WatermarkKey key = WatermarkKey::generate();
    const auto jpeg = read_file(test::data_path("coffee.jpg"));
    const auto png = read_file(test::data_path("chelsea.png"));
    std::vector<std::uint8_t> huge_png(png.begin(), png.end());
    huge_png[16] = 0x00, huge_png[17] = 0x01, huge_png[18] = 0x00, huge_png[19] = 0x00;  // IHDR width 65536
    huge_png[20] = 0x00, huge_png[21] = 0x01, huge_png[22] = 0x00, huge_png[23] = 0x00;  // height 65536
    const auto crc = static_cast<std::uint32_t>(crc32(0, huge_png.data() + 12, 17));    // "IHDR" + 13 bytes
    for (int i = 0; i < 4; ++i) huge_png[29 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
    const std::vector<std::pair<const char*, std::vector<std::uint8_t>>> inputs = {
        {"empty", {}},
        {"text", {'h', 'e', 'l', 'l', 'o'}},
        {"truncated jpeg", std::vector<std::uint8_t>(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() / 2))},
        {"truncated png", std::vector<std::uint8_t>(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(png.size() / 2))},
        {"huge png header", huge_png},
    };
    for (const auto& input : inputs) {
      const std::string name = input.first;  // a named copy: clang 14 cannot capture structured bindings
      const std::vector<std::uint8_t>& bytes = input.second;
      CAPTURE(name);
      const fs::path in = dir / "in.bin";
      write_file_atomic(in, bytes);
      const fs::path out_dir = dir / "out";
      fs::create_directories(out_dir);
      const Errc embed_error = error_code_of([&] { embed_file(in, out_dir / "out.img", Payload{}, key); });
      if (name == "huge png header") {
        CHECK(embed_error == Errc::limit_exceeded);  // refused from the header, before any allocation
      } else {
        CHECK((embed_error == Errc::malformed_input || embed_error == Errc::unsupported_format));
      }
      CHECK(folder_is_empty(out_dir));
      const Errc detect_error = error_code_of([&] { (void)detect_file(in, key); });
      CHECK(detect_error == embed_error);
      fs::remove_all(out_dir);
    }
    CHECK(error_code_of([&] { (void)detect_file(dir / "missing.jpg", key); }) == Errc::io);
  }

  TEST_CASE("a tight pixel limit refuses a photo before decoding it") {
    const WatermarkKey key = WatermarkKey::generate();
    const Limits tiny{.max_pixels = 1000};
    CHECK(error_code_of([&] { (void)detect_file(test::data_path("coffee.jpg"), key, {}, tiny); }) == Errc::limit_exceeded);
    CHECK(error_code_of([&] { (void)embed_encoded(read_file(test::data_path("chelsea.png")), Payload{}, key, {.limits = tiny}); }) ==
          Errc::limit_exceeded);
  }
}
