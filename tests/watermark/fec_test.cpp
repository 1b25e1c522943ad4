// SPDX-License-Identifier: Apache-2.0
#include "watermark/fec.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "provmark/error.hpp"

namespace {

using namespace provmark::wm;
using Bits = std::vector<std::uint8_t>;

constexpr std::size_t info_bits = 88;

Bits random_bits(std::mt19937_64& rng, std::size_t n) {
  Bits bits(n);
  for (auto& b : bits) b = static_cast<std::uint8_t>(rng() & 1);
  return bits;
}

Bits bits_of(const std::string& text) {
  Bits bits;
  for (const unsigned char c : text)
    for (int i = 7; i >= 0; --i) bits.push_back(static_cast<std::uint8_t>(c >> i & 1));
  return bits;
}

Bits bits_from_groups(const std::string& groups) {
  Bits bits;
  for (const char c : groups)
    if (c != ' ') bits.push_back(static_cast<std::uint8_t>(c == '1'));
  return bits;
}

std::vector<float> antipodal(const Bits& coded) {
  std::vector<float> soft(coded.size());
  for (std::size_t i = 0; i < coded.size(); ++i) soft[i] = coded[i] ? 1.0f : -1.0f;
  return soft;
}

// Frames (of `frames` random 88-bit words) decoded wrongly after BPSK over AWGN at `ebn0_db`.
int frame_errors_awgn(double ebn0_db, int frames, std::uint64_t seed) {
  const auto& code = watermark_code();
  std::mt19937_64 rng(seed);
  std::vector<float> soft;
  int errors = 0;
  for (int f = 0; f < frames; ++f) {
    const Bits info = random_bits(rng, info_bits);
    const Bits coded = conv_encode(info, code);
    const double rate = static_cast<double>(info_bits) / static_cast<double>(coded.size());
    const double sigma = std::sqrt(1.0 / (2.0 * rate * std::pow(10.0, ebn0_db / 10.0)));
    std::normal_distribution<double> noise(0.0, sigma);
    soft = antipodal(coded);
    for (auto& s : soft) s += static_cast<float>(noise(rng));
    errors += viterbi_decode(soft, code, info_bits).bits != info;
  }
  return errors;
}

}  // namespace

TEST_SUITE("watermark/fec") {
  TEST_CASE("crc24 is CRC-24/OPENPGP with check value 0x21CF02 over the ASCII digits 1 to 9") {
    CHECK(crc24(bits_of("123456789")) == 0x21CF02u);
    CHECK(crc24({}) == 0xB704CEu);  // the initial value
  }

  TEST_CASE("a message followed by its crc24 leaves the register zero and a flipped bit is caught") {
    std::mt19937_64 rng(7);
    Bits message = random_bits(rng, 64);
    const std::uint32_t crc = crc24(message);
    Bits framed = message;
    for (int i = 23; i >= 0; --i) framed.push_back(static_cast<std::uint8_t>(crc >> i & 1));
    CHECK(crc24(framed) == 0u);
    for (std::size_t i = 0; i < message.size(); ++i) {
      Bits damaged = message;
      damaged[i] ^= 1;
      CHECK(crc24(damaged) != crc);
    }
  }

  TEST_CASE("the watermark code is K = 7 and rate 1/4 with generators 0117 0127 0155 0171") {
    const auto& code = watermark_code();
    CHECK(code.constraint_length == 7);
    CHECK(code.generators == std::vector<std::uint32_t>{0117, 0127, 0155, 0171});
    CHECK(conv_encode(Bits(info_bits, 0), code).size() == (info_bits + 6) * 4);
  }

  TEST_CASE("conv_encode of a fixed input matches the output derived by hand") {
    // Input u = 1100 1010 0000 0001, then 6 zero tail bits: ones at t = 0, 1, 4, 6, 15.
    // The register at step t holds u[t], u[t-1], ..., u[t-6] from its top bit down, so generator g outputs
    // y[t] = XOR_j u[t-j] * h[j] with h = g's 7 bits read from the top:
    //   0117 = 1001111 (taps j = 0,3,4,5,6)   0127 = 1010111 (j = 0,2,4,5,6)
    //   0155 = 1101101 (j = 0,1,3,4,6)        0171 = 1111001 (j = 0,1,2,3,6)
    // Each 1 of u at p contributes a 1 at every p + j; the parity of the contributions per t gives (t = 0..21)
    //   y117 = 1101101010011001001111
    //   y127 = 1111000101011001010111
    //   y155 = 1011100111001001101101
    //   y171 = 1000011111101001111001
    // Checks: t = 13, 14 see only zeros (window t-6..t holds no 1); t = 15 and 21 see a single 1 at the
    // register's top (resp. bottom) bit, which every generator taps: 1111.
    // Interleaved per step (y117 y127 y155 y171):
    const Bits expected = bits_from_groups(
        "1111 1100 0110 1110 1010 0001 1001 0111 1011 0111 0001 1100 1111 0000 0000 1111 0011 0101 1011 1110 "
        "1100 1111");
    const Bits input = bits_from_groups("1100 1010 0000 0001");
    CHECK(conv_encode(input, watermark_code()) == expected);
  }

  TEST_CASE("clean code words decode to their info bits with the full correlation as metric") {
    const auto& code = watermark_code();
    std::mt19937_64 rng(1);
    for (int trial = 0; trial < 20; ++trial) {
      const Bits info = random_bits(rng, info_bits);
      const Bits coded = conv_encode(info, code);
      const auto result = viterbi_decode(antipodal(coded), code, info_bits);
      CHECK(result.bits == info);
      CHECK(result.metric == doctest::Approx(static_cast<double>(coded.size())));
    }
  }

  TEST_CASE("the decoder finds the best-correlating code word (exhaustive check on a small code)") {
    const ConvCode small{3, {07, 05}};
    constexpr std::size_t n = 8;
    std::mt19937_64 rng(2);
    std::normal_distribution<float> value(0.0f, 1.0f);
    for (int trial = 0; trial < 30; ++trial) {
      std::vector<float> soft((n + 2) * 2);
      for (auto& s : soft) s = value(rng);
      double best = -1e300;
      for (unsigned word = 0; word < (1u << n); ++word) {
        Bits info(n);
        for (std::size_t i = 0; i < n; ++i) info[i] = static_cast<std::uint8_t>(word >> i & 1);
        const Bits coded = conv_encode(info, small);
        double metric = 0;
        for (std::size_t i = 0; i < coded.size(); ++i) metric += (2.0 * coded[i] - 1.0) * soft[i];
        best = std::max(best, metric);
      }
      const auto result = viterbi_decode(soft, small, n);
      CHECK(result.metric == doctest::Approx(best).epsilon(1e-6));
      const Bits coded = conv_encode(result.bits, small);
      double metric = 0;
      for (std::size_t i = 0; i < coded.size(); ++i) metric += (2.0 * coded[i] - 1.0) * soft[i];
      CHECK(metric == doctest::Approx(best).epsilon(1e-6));
    }
  }

  TEST_CASE("all 88 bits survive Gaussian noise at Eb/N0 = 4 dB and errors grow as the SNR falls") {
    CHECK(frame_errors_awgn(4.0, 200, 11) == 0);
    const int at_2db = frame_errors_awgn(2.0, 200, 12);
    const int at_0db = frame_errors_awgn(0.0, 200, 13);
    const int at_minus_3db = frame_errors_awgn(-3.0, 50, 14);
    MESSAGE("frame errors of 200 at 2 dB: " << at_2db << ", at 0 dB: " << at_0db);
    CHECK(at_2db <= 16);
    CHECK(at_0db >= at_2db);
    CHECK(at_minus_3db == 50);  // far below capacity nothing decodes
  }

  TEST_CASE("hard decisions with 10% or 15% of the coded bits flipped still decode") {
    const auto& code = watermark_code();
    std::mt19937_64 rng(21);
    const auto frames_lost = [&](double fraction) {
      int lost = 0;
      for (int f = 0; f < 100; ++f) {
        const Bits info = random_bits(rng, info_bits);
        auto soft = antipodal(conv_encode(info, code));
        std::vector<std::size_t> positions(soft.size());
        std::iota(positions.begin(), positions.end(), 0);
        std::shuffle(positions.begin(), positions.end(), rng);
        const auto flips = static_cast<std::size_t>(fraction * static_cast<double>(soft.size()));
        for (std::size_t i = 0; i < flips; ++i) soft[positions[i]] = -soft[positions[i]];
        lost += viterbi_decode(soft, code, info_bits).bits != info;
      }
      return lost;
    };
    // Measured over 3000 frames: 0.03% lost at 10%, 4.3% at 15% (near the cutoff rate of this code).
    CHECK(frames_lost(0.10) <= 1);
    const int lost = frames_lost(0.15);
    MESSAGE("frames lost of 100 with 15% flipped: " << lost);
    CHECK(lost <= 10);
  }

  TEST_CASE("erased coded bits (soft value 0) are simply skipped") {
    const auto& code = watermark_code();
    std::mt19937_64 rng(31);
    for (int trial = 0; trial < 20; ++trial) {
      const Bits info = random_bits(rng, info_bits);
      auto soft = antipodal(conv_encode(info, code));
      // Half the coded bits erased at random, and whole steps at the start.
      for (auto& s : soft)
        if (rng() & 1) s = 0;
      std::fill(soft.begin(), soft.begin() + 8, 0.0f);
      CHECK(viterbi_decode(soft, code, info_bits).bits == info);
    }
    // Keeping only two generators' outputs leaves a rate-1/2 code that still decodes.
    const Bits info = random_bits(rng, info_bits);
    auto soft = antipodal(conv_encode(info, code));
    for (std::size_t i = 0; i < soft.size(); i += 4) soft[i] = soft[i + 1] = 0;
    CHECK(viterbi_decode(soft, code, info_bits).bits == info);
  }

  TEST_CASE("bad sizes and bad codes are invalid_argument") {
    const auto& code = watermark_code();
    const std::vector<float> soft(376);
    CHECK(viterbi_decode(soft, code, 88).bits.size() == 88);
    for (std::size_t wrong_info : {std::size_t{87}, std::size_t{89}, std::size_t{0}, std::size_t{1} << 62}) {
      CHECK_THROWS_AS((void)viterbi_decode(soft, code, wrong_info), provmark::Error);
    }
    const Bits info(4);
    for (const ConvCode& bad : {ConvCode{1, {1}}, ConvCode{17, {1}}, ConvCode{3, {}}, ConvCode{3, {010}},
                                ConvCode{3, std::vector<std::uint32_t>(9, 07)}}) {
      CHECK_THROWS_AS((void)conv_encode(info, bad), provmark::Error);
      CHECK_THROWS_AS((void)viterbi_decode(soft, bad, 4), provmark::Error);
    }
  }

  TEST_CASE("log10_binomial_tail matches exact sums for n <= 60") {
    for (int n = 0; n <= 60; ++n) {
      // Pascal's triangle: integers below 2^60, exact in long double.
      std::vector<long double> row(static_cast<std::size_t>(n) + 1, 0);
      row[0] = 1;
      for (int m = 1; m <= n; ++m)
        for (int i = m; i > 0; --i) row[static_cast<std::size_t>(i)] += row[static_cast<std::size_t>(i - 1)];
      long double tail = 0;
      for (int k = n; k >= 1; --k) {
        tail += row[static_cast<std::size_t>(k)];
        const double exact = static_cast<double>(std::log10(std::ldexp(tail, -n)));
        CAPTURE(n);
        CAPTURE(k);
        CHECK(log10_binomial_tail(n, k) == doctest::Approx(exact).epsilon(1e-12).scale(0));  // relative
      }
      CHECK(log10_binomial_tail(n, 0) == 0.0);
      CHECK(log10_binomial_tail(n, -3) == 0.0);
      CHECK(log10_binomial_tail(n, n + 1) == -INFINITY);
    }
    CHECK_THROWS_AS((void)log10_binomial_tail(-1, 0), provmark::Error);
  }

  TEST_CASE("log10_binomial_tail is accurate far in the tail and monotonic") {
    // n = 376, k = 330 against a long double sum (terms up to 1e112, well inside its range).
    std::vector<long double> row(377, 0);
    row[0] = 1;
    for (int m = 1; m <= 376; ++m)
      for (int i = m; i > 0; --i) row[static_cast<std::size_t>(i)] += row[static_cast<std::size_t>(i - 1)];
    long double tail = 0;
    for (int i = 330; i <= 376; ++i) tail += row[static_cast<std::size_t>(i)];
    const double expected = static_cast<double>(std::log10(tail) - 376 * std::log10(2.0L));
    const double got = log10_binomial_tail(376, 330);
    CHECK(got == doctest::Approx(expected).epsilon(1e-12));
    CHECK(got < -45);
    CHECK(got > -55);
    CHECK(log10_binomial_tail(376, 376) == doctest::Approx(-376 * std::log10(2.0)).epsilon(1e-12));

    // Below the middle the values approach 0 closer than a double resolves, so strict only above it.
    for (int n : {1, 50, 376, 2000}) {
      for (int k = 1; k <= n; ++k) {
        CAPTURE(n);
        CAPTURE(k);
        const double value = log10_binomial_tail(n, k);
        CHECK(value <= 0.0);
        CHECK(value <= log10_binomial_tail(n, k - 1));
        CHECK(value <= log10_binomial_tail(n + 1, k));
        if (2 * k > n) {
          CHECK(value < log10_binomial_tail(n, k - 1));
          CHECK(value < log10_binomial_tail(n + 1, k));
        }
      }
    }
  }
}
