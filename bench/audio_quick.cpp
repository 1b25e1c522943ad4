// SPDX-License-Identifier: Apache-2.0
// In-process robustness check of the audio watermark for tuning: embeds into every clip given, reports the SNR and
// segmental SNR of the 16-bit marked clip, then detects it as is and with white noise at 20 dB SNR added as the shared
// bench does, and counts the group instances read correctly at the true alignment ("readable"). The numbers that
// count come from ../shared/bench/run_bench.py with bench/adapters/provmark.
//   provmark_audio_quick [--noise-dir DIR] [--noise-snr DB] [--seed N] [--bins] [--oracle] CLIP...
// DIR/<clip name>.noise holds the bench's standard normal draw for that clip (float32, interleaved, one per
// sample; bench/audio_noise_draws.py writes them), so that the noise is the bench's own; without it a fixed
// Gaussian draw of ours is used. --oracle prints S / sqrt(E) of the soft false-alarm bound (spec §6.4) at the true
// alignment for the detector's weights and for weights that know the bits (per loudness neighbourhood): what no
// sign-free weighting can beat; 11.7 is needed for P_fa < 1e-9 with the 24 attempts of spec §6.4.
#include <cmath>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "provmark/provmark.hpp"
#include "watermark/audio_layout.hpp"
#include "watermark/audio_signal.hpp"
#include "watermark/layout.hpp"

namespace {

using namespace provmark;
namespace fs = std::filesystem;

// As the bench writes WAV: rounded to 16 bits, clipped.
void to_16_bits(Audio& a) {
  MutableAudioView v = a.mutable_view();
  for (std::size_t i = 0; i < v.sample_count(); ++i)
    v.samples[i] = static_cast<float>(std::clamp(std::rint(v.samples[i] * 32768.0), -32768.0, 32767.0) / 32768.0);
}

struct Quality {
  double snr = 0, segsnr = 0;
};

// The bench's SNR and segmental SNR (20 ms frames, clamped to [-10, 35] dB, frames below -60 dBFS skipped).
Quality quality(const AudioView& x, const AudioView& y) {
  const auto ch = static_cast<std::size_t>(x.channels);
  double ps = 0, pn = 0;
  for (std::size_t i = 0; i < x.sample_count(); ++i) {
    ps += double(x.samples[i]) * x.samples[i];
    const double e = double(y.samples[i]) - x.samples[i];
    pn += e * e;
  }
  const auto fl = static_cast<std::size_t>(0.02 * x.sample_rate);
  double seg = 0;
  int segs = 0;
  for (std::size_t f = 0; (f + 1) * fl <= x.frames; ++f) {
    double s = 0, q = 0;
    for (std::size_t i = f * fl * ch; i < (f + 1) * fl * ch; ++i) {
      s += double(x.samples[i]) * x.samples[i];
      const double e = double(y.samples[i]) - x.samples[i];
      q += e * e;
    }
    if (s > 1e-6 * static_cast<double>(fl * ch)) {
      seg += q == 0 ? 35.0 : std::clamp(10 * std::log10(s / q), -10.0, 35.0);
      ++segs;
    }
  }
  return {10 * std::log10(ps / pn), segs ? seg / segs : 0};
}

Audio add_noise(const Audio& marked, const fs::path& noise_file, double snr_db) {
  Audio out = Audio::copy_of(marked.view());
  MutableAudioView v = out.mutable_view();
  double p = 0;
  for (std::size_t i = 0; i < v.sample_count(); ++i) p += double(v.samples[i]) * v.samples[i];
  const double sigma = std::sqrt(p / static_cast<double>(v.sample_count()) / std::pow(10.0, snr_db / 10));
  std::vector<float> n(v.sample_count());
  std::ifstream in(noise_file, std::ios::binary);
  if (in && in.read(reinterpret_cast<char*>(n.data()), static_cast<std::streamsize>(n.size() * sizeof(float)))) {
  } else {
    std::mt19937_64 rng(1);
    std::normal_distribution<float> normal;
    for (float& x : n) x = normal(rng);
  }
  for (std::size_t i = 0; i < v.sample_count(); ++i) v.samples[i] = static_cast<float>(v.samples[i] + sigma * n[i]);
  to_16_bits(out);
  return out;
}

// Fraction of the group instances whose hard bit is right at the true alignment (offset 0, scale 1).
double readable(const AudioView& audio, const WatermarkKey& key, const Payload& payload, bool bins_out, bool oracle_out) {
  using namespace wm::audio;
  const AudioLayout layout = make_audio_layout(key);
  const std::vector<std::uint8_t> coded = wm::encode_payload(payload);
  const std::vector<float> y = working_signal(audio);
  FrameTransform tr;
  const int frames = y.size() >= frame_size ? static_cast<int>((y.size() - frame_size) / hop) + 1 : 0;
  const int slots = frames / frames_per_slot;
  std::vector<double> L(static_cast<std::size_t>(slots) * bands), E(static_cast<std::size_t>(slots) * bands);
  double fe[bands], e[bands];
  for (int u = 0; u < slots; ++u) {
    std::fill_n(e, bands, 0.0);
    for (int t = 2 * u; t < 2 * u + 2; ++t) {
      band_energies(tr.spectrum(y.data() + static_cast<std::ptrdiff_t>(t) * hop), 1.0, fe);
      for (int b = 0; b < bands; ++b) e[b] += fe[b];
    }
    slot_features(e, &L[static_cast<std::size_t>(u) * bands]);
    std::copy_n(e, bands, &E[static_cast<std::size_t>(u) * bands]);
  }
  double mean_e = 0;
  for (double x : E) mean_e += x / static_cast<double>(E.size());
  int bin_good[8] = {}, bin_all[8] = {};
  int good = 0, all = 0;
  struct Inst { int role; double x, loud, fit, harm; };
  std::vector<Inst> inst;
  for (int ua = 0; ua + 1 < slots; ua += 2)
    for (int j = 0; j < groups_per_pair; ++j) {
      const int g = ((ua % period_slots) / 2) * groups_per_pair + j;
      double v = 0;
      for (int i = 0; i < cells_per_group; ++i) {
        const int b = cell_band(g, i);
        v += layout.sign[g][i] * (L[static_cast<std::size_t>(ua) * bands + b] - L[static_cast<std::size_t>(ua + 1) * bands + b]);
      }
      const double r = v / cells_per_group / lattice_step - layout.dither[g];
      const double soft = -std::cos(2 * std::numbers::pi * r);  // > 0: bit 1
      good += (soft > 0) == (coded[layout.role[g]] != 0);
      ++all;
      double ea = 0, eb = 0;
      for (int i = 0; i < cells_per_group; ++i) {
        ea += E[static_cast<std::size_t>(ua) * bands + cell_band(g, i)] / cells_per_group;
        eb += E[static_cast<std::size_t>(ua + 1) * bands + cell_band(g, i)] / cells_per_group;
      }
      {
        double la = 0, lb = 0;
        for (int i = 0; i < cells_per_group; ++i) {
          la += L[static_cast<std::size_t>(ua) * bands + cell_band(g, i)] / cells_per_group;
          lb += L[static_cast<std::size_t>(ua + 1) * bands + cell_band(g, i)] / cells_per_group;
        }
        double h = 0;
        for (int i = 0; i < cells_per_group; ++i)
          h += std::exp(-L[static_cast<std::size_t>(ua) * bands + cell_band(g, i)]) + std::exp(-L[static_cast<std::size_t>(ua + 1) * bands + cell_band(g, i)]);
        inst.push_back({layout.role[g], soft * (coded[layout.role[g]] ? 1 : -1), std::min(la, lb), std::cos(4 * std::numbers::pi * r), -std::log(h)});
      }
      const int bin = std::clamp(static_cast<int>(std::floor(-10 * std::log10(std::min(ea, eb) / mean_e + 1e-30) / 6)) + 1, 0, 7);
      bin_good[bin] += (soft > 0) == (coded[layout.role[g]] != 0);
      ++bin_all[bin];
    }
  if (oracle_out) {
    std::sort(inst.begin(), inst.end(), [](const Inst& a, const Inst& b) { return a.loud < b.loud; });
    const int n = static_cast<int>(inst.size());
    auto score = [&](auto weight) {
      std::vector<double> soft(376, 0.0);
      for (int i = 0; i < n; ++i) soft[static_cast<std::size_t>(inst[i].role)] += weight(i) * inst[i].x;
      double corr = 0, energy_sum = 0;
      for (double v : soft) { corr += v; energy_sum += v * v; }
      return corr / std::sqrt(energy_sum);
    };
    const int K = 50;  // as the detector (spec §6.4)
    auto mean_around = [&](int i, auto f) {
      const int lo = std::max(0, i - K), hi = std::min(n, i + K + 1);
      double m = 0;
      for (int k = lo; k < hi; ++k) m += f(inst[k]);
      return m / (hi - lo);
    };
    const double cur =
        score([&](int i) { return std::sqrt(std::max(0.0, mean_around(i, [](const Inst& a) { return a.fit; }))); });
    const double lin = score([&](int i) { return std::max(0.0, mean_around(i, [](const Inst& a) { return a.fit; })); });
    const double oracle = score([&](int i) {
      const double mu = mean_around(i, [](const Inst& a) { return a.x; }), m2 = mean_around(i, [](const Inst& a) { return a.x * a.x; });
      return std::max(0.0, mu / m2);
    });
    const double uniform = score([&](int) { return 1.0; });
    std::printf("   S/sqrtE at true alignment: current %.2f linear-fit %.2f oracle %.2f uniform %.2f (needs 11.7)\n",
                cur, lin, oracle, uniform);
    for (double beta : {1.0, 2.0, 4.0})
      std::printf("   q*|x|^%.0f: %.2f   sqrt(q)*|x|^%.0f: %.2f\n", beta,
        score([&](int i) { return std::max(0.0, mean_around(i, [](const Inst& a) { return a.fit; })) * std::pow(std::abs(inst[i].x), beta); }), beta,
        score([&](int i) { return std::sqrt(std::max(0.0, mean_around(i, [](const Inst& a) { return a.fit; }))) * std::pow(std::abs(inst[i].x), beta); }));
    // oracle on (loudness neighbourhood, own |x| above or below 0.7)
    std::printf("   oracle split by |x|>0.7: %.2f\n", score([&](int i) {
      const bool hi = std::abs(inst[i].x) > 0.7;
      const double mu = mean_around(i, [&](const Inst& a) { return (std::abs(a.x) > 0.7) == hi ? a.x : 0.0; }), m2 = mean_around(i, [&](const Inst& a) { return (std::abs(a.x) > 0.7) == hi ? a.x * a.x : 0.0; });
      return m2 > 0 ? std::max(0.0, mu / m2) : 0.0; }));
    std::stable_sort(inst.begin(), inst.end(), [](const Inst& a, const Inst& b) { return a.harm < b.harm; });
    std::printf("   harmonic order:            current %.2f sqrt-fit %.2f oracle %.2f\n",
      score([&](int i) { return std::max(0.0, mean_around(i, [](const Inst& a) { return a.fit; })); }),
      score([&](int i) { return std::sqrt(std::max(0.0, mean_around(i, [](const Inst& a) { return a.fit; }))); }),
      score([&](int i) { const double mu = mean_around(i, [](const Inst& a) { return a.x; }), m2 = mean_around(i, [](const Inst& a) { return a.x * a.x; }); return std::max(0.0, mu / m2); }));
  }
  if (bins_out) {
    std::printf("   bins (quieter slot vs clip mean, 6 dB steps from >0 dB):");
    for (int b = 0; b < 8; ++b) std::printf(" %d/%d", bin_good[b], bin_all[b]);
    std::printf("\n");
  }
  return all ? double(good) / all : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Audio watermark robustness for tuning"};
  std::vector<std::string> clips;
  std::string noise_dir = "/tmp/an";
  int seed = 1;
  double noise_snr = 20;
  bool bins = false, oracle = false;
  app.add_option("--noise-snr", noise_snr, "dB");
  app.add_flag("--bins", bins, "instances read right by loudness of the quieter slot (6 dB steps below the clip mean)");
  app.add_flag("--oracle", oracle, "S / sqrt(E) of the soft bound at the true alignment, for several weightings");
  app.add_option("CLIP", clips)->required();
  app.add_option("--noise-dir", noise_dir);
  app.add_option("--seed", seed);
  CLI11_PARSE(app, argc, argv);

  std::vector<std::uint8_t> kb(32);
  for (int i = 0; i < 32; ++i) kb[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seed * 37 + i * 11);
  const WatermarkKey key = WatermarkKey::from_bytes(kb);
  double snr_sum = 0, seg_sum = 0, snr_min = 1e9;
  int n = 0, found_none = 0, found_noise = 0;
  for (const std::string& path : clips) {
    const Payload payload = Payload::from_u64(0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(seed + n + 1));
    Audio orig = decode_audio(read_file(path)).audio;
    to_16_bits(orig);
    Audio marked = embed(orig.view(), payload, key);
    to_16_bits(marked);
    const Quality q = quality(orig.view(), marked.view());
    const AudioDetectResult clean = detect(marked.view(), key);
    const std::string stem = fs::path(path).stem().string();
    const Audio noisy = add_noise(marked, fs::path(noise_dir) / (stem + ".noise"), noise_snr);
    const AudioDetectResult dn = detect(noisy.view(), key);
    const bool ok_clean = clean.found && clean.payload == payload, ok_noise = dn.found && dn.payload == payload;
    if (bins || oracle) std::printf("%s, marked:\n", stem.c_str());
    const double read_clean = readable(marked.view(), key, payload, bins, oracle);
    if (bins || oracle) std::printf("%s, with noise:\n", stem.c_str());
    const double read_noisy = readable(noisy.view(), key, payload, bins, oracle);
    std::printf("%-26s snr %6.2f seg %6.2f | none %d d=%3d read %.3f | noise %d d=%3d pfa %.1e read %.3f\n",
                stem.c_str(), q.snr, q.segsnr, ok_clean, clean.corrected_bits, read_clean,
                ok_noise, dn.corrected_bits, dn.false_alarm_probability, read_noisy);
    std::fflush(stdout);
    snr_sum += q.snr;
    seg_sum += q.segsnr;
    snr_min = std::min(snr_min, q.snr);
    found_none += ok_clean;
    found_noise += ok_noise;
    ++n;
  }
  std::printf("mean snr %.2f (min %.2f) seg %.2f | none %d/%d | noise %d/%d\n", snr_sum / n, snr_min, seg_sum / n,
              found_none, n, found_noise, n);
}
