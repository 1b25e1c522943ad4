// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include "containers/id3.hpp"
#include "containers/sample_media.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"

using namespace provmark;
using namespace provmark::containers;
using test::Bytes;

namespace {

std::string text_of(const std::optional<Bytes>& content) {
  REQUIRE(content.has_value());
  return std::string(content->begin() + 1, content->end());  // after the encoding byte
}

}  // namespace

TEST_SUITE("containers/id3") {
  TEST_CASE("a v2.4 tag lists its frames with syncsafe sizes, up to the padding") {
    const Bytes mp3 = test::sample_mp3(4, {test::id3_text_frame(4, "TIT2", std::string(200, 'a')),
                                           test::id3_text_frame(4, "TSSE", "lame")},
                                       30);
    const auto tag = parse_id3v2(mp3);
    REQUIRE(tag.has_value());
    CHECK(tag->major == 4);
    REQUIRE(tag->frames.size() == 2);
    CHECK(tag->frames[0].is("TIT2"));
    CHECK(tag->frames[0].size == 201);  // 201 is 0x01 0x49 as a syncsafe integer
    CHECK(text_of(id3_frame_content(*tag, tag->frames[1])) == "lame");
    CHECK(tag->size == 10 + 211 + 15 + 30);
    CHECK(mp3[tag->size] == 0xFF);  // the first audio frame follows the tag
  }

  TEST_CASE("a v2.3 tag uses plain sizes and may be unsynchronised as a whole") {
    const Bytes frame = test::id3_text_frame(3, "TIT2", "a\xFF\xE0z");
    Bytes unsynchronised;
    for (const std::uint8_t b : frame) {
      unsynchronised.push_back(b);
      if (b == 0xFF) unsynchronised.push_back(0);
    }
    Bytes mp3 = test::sample_mp3(3, {unsynchronised});
    mp3[5] = 0x80;  // the tag's unsynchronisation flag
    const auto tag = parse_id3v2(mp3);
    REQUIRE(tag.has_value());
    CHECK_FALSE(tag->area_in_file);
    REQUIRE(tag->frames.size() == 1);
    CHECK(text_of(id3_frame_content(*tag, tag->frames[0])) == "a\xFF\xE0z");
  }

  TEST_CASE("an extended header is skipped, and compressed frames have no readable content") {
    Bytes frame = test::id3_text_frame(4, "TIT2", "x");
    frame[9] = 0x08;  // compressed
    Bytes extended{0, 0, 0, 6, 1, 0};  // v2.4: syncsafe size 6 including itself, one flag byte, no flags
    extended.insert(extended.end(), frame.begin(), frame.end());
    Bytes mp3 = test::sample_mp3(4, {extended});
    mp3[5] = 0x40;
    const auto tag = parse_id3v2(mp3);
    REQUIRE(tag.has_value());
    REQUIRE(tag->frames.size() == 1);
    CHECK(tag->frames[0].offset == 6);
    CHECK_FALSE(id3_frame_content(*tag, tag->frames[0]).has_value());
  }

  TEST_CASE("new frames and headers round-trip through the parser") {
    const Bytes content{3, 'h', 'i'};
    Bytes frames = id3_frame(4, "TXXX", content);
    Bytes mp3 = id3_header(4, frames.size());
    mp3.insert(mp3.end(), frames.begin(), frames.end());
    const auto tag = parse_id3v2(mp3);
    REQUIRE(tag.has_value());
    REQUIRE(tag->frames.size() == 1);
    CHECK(id3_frame_content(*tag, tag->frames[0]) == content);
    CHECK(id3_frame_bytes(*tag, tag->frames[0]) == frames);
  }

  TEST_CASE("files without a tag have none; broken tags are malformed input") {
    CHECK_FALSE(parse_id3v2(Bytes{0xFF, 0xFB, 0x90, 0x64}).has_value());
    Bytes mp3 = test::sample_mp3(4, {test::id3_text_frame(4, "TIT2", "abc")});
    Bytes past_end = mp3;
    past_end[9] = 0x7F;  // tag size beyond the file
    past_end.resize(100);
    CHECK(test::error_code_of([&] { (void)parse_id3v2(past_end); }) == Errc::malformed_input);
    Bytes not_syncsafe = mp3;
    not_syncsafe[8] = 0x80;
    CHECK(test::error_code_of([&] { (void)parse_id3v2(not_syncsafe); }) == Errc::malformed_input);
    Bytes frame_past_tag = mp3;
    frame_past_tag[10 + 7] = 0x7F;  // the frame's size
    CHECK(test::error_code_of([&] { (void)parse_id3v2(frame_past_tag); }) == Errc::malformed_input);
  }
}
