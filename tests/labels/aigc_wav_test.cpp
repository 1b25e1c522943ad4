// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include "containers/riff.hpp"
#include "containers/sample_media.hpp"
#include "provmark/aigc.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"

using namespace provmark;
using test::Bytes;

namespace {

AigcLabel sample_label(const std::string& id = "WAV20261121A0001") {
  AigcLabel label;
  label.content_producer = "001191110102MAD55U9H0F10002";
  label.produce_id = id;
  return label;
}

Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

std::string chunk_ids(const Bytes& wav) {
  std::string ids;
  for (const auto& chunk : containers::parse_riff(wav).chunks) ids += std::string(chunk.id.data(), 4) + ";";
  return ids;
}

}  // namespace

TEST_SUITE("labels/aigc_wav") {
  TEST_CASE("a WAV label is one AIGC chunk holding the JSON, after the audio and before a C2PA chunk") {
    const Bytes wav = test::sample_wav(100, {test::riff_chunk_bytes("C2PA", test::fake_store())});
    const Bytes out = write_aigc_label(wav, sample_label());
    CHECK(chunk_ids(out) == "fmt ;data;AIGC;C2PA;");
    const auto form = containers::parse_riff(out);
    const auto& chunk = form.chunks[2];
    const std::string json = sample_label().to_json();
    CHECK(std::string(out.begin() + static_cast<std::ptrdiff_t>(chunk.data_offset()),
                      out.begin() + static_cast<std::ptrdiff_t>(chunk.data_offset() + chunk.size)) == json);
    CHECK(std::equal(wav.begin() + 12, wav.begin() + 12 + 8 + 16 + 8 + 200, out.begin() + 12));  // audio untouched
    const auto found = read_aigc_labels(out);
    REQUIRE(found.size() == 1);
    CHECK(found[0].carrier == "wav-chunk");
    CHECK(found[0].label == sample_label());
    CHECK(found[0].problems.empty());

    // Writing again replaces the chunk.
    const Bytes again = write_aigc_label(out, sample_label("WAV20261121A0002"));
    CHECK(chunk_ids(again) == "fmt ;data;AIGC;C2PA;");
    CHECK(read_aigc_labels(again).at(0).label.produce_id == "WAV20261121A0002");
  }

  TEST_CASE("NUL-terminated and wrapped values are read, and every AIGC chunk is reported") {
    const std::string terminated = sample_label().to_json() + '\0';
    const Bytes wav = test::sample_wav(10, {test::riff_chunk_bytes("AIGC", text(terminated)),
                                            test::riff_chunk_bytes("AIGC", text(sample_label("X").to_wrapped_json())),
                                            test::riff_chunk_bytes("AIGC", text("not json"))});
    const auto found = read_aigc_labels(wav);
    REQUIRE(found.size() == 3);
    CHECK(found[0].label == sample_label());
    CHECK(found[1].label.produce_id == "X");
    REQUIRE_FALSE(found[2].problems.empty());
    CHECK(found[2].problems[0].starts_with("unreadable value: "));
    CHECK(read_aigc_labels(write_aigc_label(wav, sample_label())).size() == 1);
  }

  TEST_CASE("a broken WAV is malformed input") {
    Bytes wav = test::sample_wav(10);
    wav[4] = 0xFF;  // RIFF size past the end
    CHECK(test::error_code_of([&] { (void)read_aigc_labels(wav); }) == Errc::malformed_input);
    CHECK(test::error_code_of([&] { (void)write_aigc_label(wav, sample_label()); }) == Errc::malformed_input);
  }
}
