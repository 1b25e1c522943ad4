// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "dsp/fft.hpp"
#include "watermark/layout.hpp"

using namespace provmark;
using namespace provmark::wm;

namespace {
WatermarkKey key_of(std::uint8_t fill) {
  std::array<std::uint8_t, 32> bytes{};
  bytes.fill(fill);
  return WatermarkKey::from_bytes(bytes);
}
}  // namespace

TEST_SUITE("watermark/layout") {
  TEST_CASE("the annulus holds 492 distinct half-plane frequencies") {
    const auto bins = annulus_bins();
    CHECK(bins.size() == 492);
    std::set<std::pair<int, int>> seen;
    for (const Bin& b : bins) {
      const int r2 = b.u * b.u + b.v * b.v;
      CHECK((r2 >= band_r2_min && r2 <= band_r2_max));
      CHECK((b.v > 0 || b.u > 0));
      CHECK(seen.insert({b.u, b.v}).second);
      CHECK(seen.count({-b.u, -b.v}) == 0);  // never both a frequency and its mirror
    }
  }

  TEST_CASE("the layout splits the annulus into 376 data and 116 sync bins and depends on the key") {
    const Layout a = make_layout(key_of(1));
    CHECK(a.data.size() == 376);
    CHECK(a.sync.size() == 116);
    CHECK(coded_bit_count() == 376);
    const Layout again = make_layout(key_of(1));
    const Layout other = make_layout(key_of(2));
    int same_place = 0;
    for (std::size_t i = 0; i < a.data.size(); ++i) {
      CHECK(a.data[i].u == again.data[i].u);
      CHECK(a.data[i].phase == again.data[i].phase);
      same_place += a.data[i].u == other.data[i].u && a.data[i].v == other.data[i].v;
    }
    CHECK(same_place < 10);  // a different key scatters the bits elsewhere
  }

  TEST_CASE("the tile has unit RMS and its spectrum carries the coded bits as signs") {
    const Layout layout = make_layout(key_of(3));
    const auto coded = encode_payload(Payload::from_u64(0x0123456789abcdefULL));
    const dsp::Plane tile = make_tile(layout, coded);
    double sum2 = 0;
    for (float v : tile.data) sum2 += double{v} * v;
    CHECK(std::sqrt(sum2 / tile.data.size()) == doctest::Approx(1.0).epsilon(1e-4));

    dsp::FftBuffer<dsp::cfloat> spectrum(tile.data.size());
    for (std::size_t i = 0; i < tile.data.size(); ++i) spectrum[i] = tile.data[i];
    dsp::fft_c2c_2d(tile_size, tile_size, spectrum.data(), spectrum.data(), true);
    for (std::size_t j = 0; j < layout.data.size(); ++j) {
      const Bin& b = layout.data[j];
      const auto at = spectrum[static_cast<std::size_t>(((b.v + tile_size) % tile_size) * tile_size +
                                                        (b.u + tile_size) % tile_size)];
      const float projected = (at * std::conj(b.unit())).real();
      CHECK((projected > 0) == (coded[j] == 1));
    }
  }
}
