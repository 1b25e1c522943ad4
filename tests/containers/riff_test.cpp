// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "containers/riff.hpp"
#include "containers/sample_media.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"

using namespace provmark;
using namespace provmark::containers;
using test::Bytes;

TEST_SUITE("containers/riff") {
  TEST_CASE("the top-level chunks of a WAV are listed with their offsets, sizes and pad bytes") {
    const Bytes wav = test::sample_wav(100, {test::riff_chunk_bytes("LIST", Bytes(5, 'x'))});
    const RiffForm form = parse_riff(wav);
    CHECK(std::string(form.form_type.data(), 4) == "WAVE");
    REQUIRE(form.chunks.size() == 3);
    CHECK(form.chunks[0].is("fmt "));
    CHECK(form.chunks[1].is("data"));
    CHECK(form.chunks[1].offset == 36);
    CHECK(form.chunks[1].size == 200);
    CHECK(form.chunks[2].is("LIST"));
    CHECK(form.chunks[2].padded_size() == 8 + 5 + 1);
    CHECK(form.end == wav.size());
  }

  TEST_CASE("rebuilding drops and appends chunks, updates the RIFF size and keeps trailing bytes") {
    Bytes wav = test::sample_wav(10, {test::riff_chunk_bytes("junk", Bytes(3, 1))});
    wav.insert(wav.end(), {'t', 'a', 'i', 'l'});  // after the form
    const RiffForm form = parse_riff(wav);
    const std::vector<Bytes> appended{riff_chunk("C2PA", Bytes(7, 9))};
    const Bytes out = riff_rebuild(wav, form, {true, true, false}, appended);
    const RiffForm again = parse_riff(out);
    REQUIRE(again.chunks.size() == 3);
    CHECK(again.chunks[2].is("C2PA"));
    CHECK(again.chunks[2].size == 7);
    CHECK(again.end == out.size() - 4);
    CHECK(Bytes(out.end() - 4, out.end()) == Bytes{'t', 'a', 'i', 'l'});
  }

  TEST_CASE("a last chunk without its pad byte is read, and written back with it") {
    Bytes wav = test::sample_wav(10, {test::riff_chunk_bytes("odd ", Bytes(3, 1))});
    wav.pop_back();  // the pad byte
    const std::uint32_t size = static_cast<std::uint32_t>(wav.size() - 8);
    for (int i = 0; i < 4; ++i) wav[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(size >> (8 * i));
    const RiffForm form = parse_riff(wav);
    REQUIRE(form.chunks.size() == 3);
    const Bytes out = riff_rebuild(wav, form, {true, true, true}, {});
    CHECK(out.size() == wav.size() + 1);
    CHECK(parse_riff(out).chunks.size() == 3);
  }

  TEST_CASE("broken forms are malformed input") {
    const auto code = [](const Bytes& bytes) { return test::error_code_of([&] { (void)parse_riff(bytes); }); };
    const Bytes wav = test::sample_wav(10);
    CHECK(code(Bytes(wav.begin(), wav.end() - 1)) == Errc::malformed_input);  // the RIFF size reaches past the end
    CHECK(code(Bytes{'R', 'I', 'F', 'X', 4, 0, 0, 0, 'W', 'A', 'V', 'E'}) == Errc::malformed_input);
    Bytes bad_chunk = wav;
    bad_chunk[40] = 0xFF;  // the data chunk's size
    CHECK(code(bad_chunk) == Errc::malformed_input);
    Bytes truncated_header = test::sample_wav(10);
    truncated_header.insert(truncated_header.end(), {'a', 'b', 'c'});
    truncated_header[4] = static_cast<std::uint8_t>(truncated_header[4] + 3);
    CHECK(code(truncated_header) == Errc::malformed_input);
  }
}
