// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "containers/bmff.hpp"
#include "containers/sample_media.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"

using namespace provmark;
using namespace provmark::containers;
using test::Bytes;

TEST_SUITE("containers/bmff") {
  TEST_CASE("every box is listed with its path, container boxes walked into") {
    const Bytes mp4 = test::sample_mp4();
    const auto boxes = parse_bmff(mp4);
    std::vector<std::string> paths;
    for (const auto& box : boxes) paths.push_back(box.path);
    CHECK(paths == std::vector<std::string>{"/ftyp", "/moov", "/moov/trak", "/moov/trak/mdia", "/moov/trak/mdia/minf",
                                            "/moov/trak/mdia/minf/stbl", "/moov/trak/mdia/minf/stbl/stco", "/mdat"});
    CHECK(boxes.back().end() == mp4.size());
    CHECK(boxes[6].version == 0);
    CHECK(boxes[6].flags == 0u);
    CHECK(boxes[2].depth == 1);
  }

  TEST_CASE("64-bit box sizes and a last box of size 0 (to the end of the file) are read") {
    Bytes mp4 = test::bmff_box("ftyp", Bytes(8, 'a'));
    test::put_be(mp4, 1, 4);
    test::put_text(mp4, "free");
    test::put_be(mp4, 16 + 4, 8);
    test::put_text(mp4, "wxyz");
    test::put_be(mp4, 0, 4);
    test::put_text(mp4, "mdat");
    mp4.resize(mp4.size() + 50, 1);
    const auto boxes = parse_bmff(mp4);
    REQUIRE(boxes.size() == 3);
    CHECK(boxes[1].header == 16);
    CHECK(boxes[1].size == 20);
    CHECK(boxes[2].size == 58);
  }

  TEST_CASE("no ftyp, boxes past their parent and deep nesting are malformed input") {
    CHECK_FALSE(is_bmff(test::bmff_box("moov", {})));
    CHECK(test::error_code_of([&] { (void)parse_bmff(test::bmff_box("moov", {})); }) == Errc::malformed_input);
    Bytes past = test::sample_mp4();
    past[3] = 0xFF;  // ftyp size
    CHECK(test::error_code_of([&] { (void)parse_bmff(past); }) == Errc::malformed_input);
    Bytes nested;
    for (int i = 0; i < kMaxBmffDepth + 2; ++i) nested = test::bmff_box("moov", nested);
    Bytes deep = test::bmff_box("ftyp", Bytes(8, 'a'));
    deep.insert(deep.end(), nested.begin(), nested.end());
    CHECK(test::error_code_of([&] { (void)parse_bmff(deep); }) == Errc::malformed_input);
  }
}
