// SPDX-License-Identifier: Apache-2.0
// The JPEG marker walk is hand-written: TurboJPEG 2.1 has no marker API (it neither returns APPn/COM
// segments nor the quantization tables), and we need both to carry metadata over and to re-encode at the
// source's quality. It reads headers only, up to the first SOS, and trusts no length.

#include <turbojpeg.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdlib>
#include <string>

#include "codecs/jpeg.hpp"
#include "core/fail.hpp"

namespace provmark::codecs {
namespace {

// clang-format off
// Position in natural (row-major) order of the k-th coefficient of a DQT table, which is stored in zigzag order.
constexpr std::array<std::uint8_t, 64> kNaturalOrder = {
      0,   1,   8,  16,   9,   2,   3,  10,
     17,  24,  32,  25,  18,  11,   4,   5,
     12,  19,  26,  33,  40,  48,  41,  34,
     27,  20,  13,   6,   7,  14,  21,  28,
     35,  42,  49,  56,  57,  50,  43,  36,
     29,  22,  15,  23,  30,  37,  44,  51,
     58,  59,  52,  45,  38,  31,  39,  46,
     53,  60,  61,  54,  47,  55,  62,  63,
};

// ITU T.81 Annex K.1 luminance table (natural order): the base libjpeg scales by quality.
constexpr std::array<int, 64> kAnnexKLuma = {
     16,  11,  10,  16,  24,  40,  51,  61,
     12,  12,  14,  19,  26,  58,  60,  55,
     14,  13,  16,  24,  40,  57,  69,  56,
     14,  17,  22,  29,  51,  87,  80,  62,
     18,  22,  37,  56,  68, 109, 103,  77,
     24,  35,  55,  64,  81, 104, 113,  92,
     49,  64,  78,  87, 103, 121, 120, 101,
     72,  92,  95,  98, 112, 100, 103,  99,
};
// clang-format on

using QuantTable = std::array<int, 64>;

std::string hex(unsigned value) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string{'0', 'x', kDigits[(value >> 4) & 0xF], kDigits[value & 0xF]};
}

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "jpeg: " + what); }

unsigned read_u16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (unsigned{bytes[at]} << 8) | bytes[at + 1];
}

// Inverts libjpeg's jpeg_quality_scaling() + jpeg_add_quant_table(): the quality 1..100 whose scaled Annex K
// table is closest (L1) to `luma`. Ties go to the higher quality, which never loses detail on re-encode.
int estimate_quality(const QuantTable& luma, bool sixteen_bit) {
  // TurboJPEG forces baseline (8-bit) tables; 16-bit tables come from encoders that allowed larger values.
  const int max_value = sixteen_bit ? 32767 : 255;
  int best_quality = 0;
  long best_distance = LONG_MAX;
  for (int quality = 100; quality >= 1; --quality) {
    const int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
    long distance = 0;
    for (std::size_t i = 0; i < 64; ++i) {
      const int expected = std::clamp((kAnnexKLuma[i] * scale + 50) / 100, 1, max_value);
      distance += std::abs(expected - luma[i]);
    }
    if (distance < best_distance) {
      best_distance = distance;
      best_quality = quality;
    }
  }
  return best_quality;
}

// Mirrors TurboJPEG's own sampling-factor classification (getSubsamp() in turbojpeg.c) for 3 components,
// so that parse_jpeg() agrees with what tjDecompressHeader3() will report.
int classify_subsampling(const std::array<int, 3>& h, const std::array<int, 3>& v) {
  if (h[1] != h[2] || v[1] != v[2]) return -1;
  if (h[1] == 1 && v[1] == 1) {
    if (h[0] == 1 && v[0] == 1) return TJSAMP_444;
    if (h[0] == 2 && v[0] == 1) return TJSAMP_422;
    if (h[0] == 2 && v[0] == 2) return TJSAMP_420;
    if (h[0] == 1 && v[0] == 2) return TJSAMP_440;
    if (h[0] == 4 && v[0] == 1) return TJSAMP_411;
  }
  // 4:2:2 and 4:4:0 written with doubled factors.
  if (h[0] == 2 && v[0] == 2 && h[1] == 1 && v[1] == 2) return TJSAMP_422;
  if (h[0] == 2 && v[0] == 2 && h[1] == 2 && v[1] == 1) return TJSAMP_440;
  // 4:4:4 written with equal factors above 1 (libjpeg allows at most 10 blocks per MCU).
  if (h[0] == h[1] && v[0] == v[1] && h[0] * v[0] <= 3) return TJSAMP_444;
  return -1;
}

// Like libjpeg's next_marker(): stray bytes between segments are skipped (libjpeg only warns about them),
// as are 0xFF fill bytes and stuffed 0xFF00 pairs. `pos` ends just after the marker code.
std::uint8_t next_marker(std::span<const std::uint8_t> bytes, std::size_t& pos) {
  for (;;) {
    while (pos < bytes.size() && bytes[pos] != 0xFF) ++pos;
    while (pos < bytes.size() && bytes[pos] == 0xFF) ++pos;
    if (pos >= bytes.size()) malformed("data ends before the first scan (SOS)");
    const std::uint8_t marker = bytes[pos++];
    if (marker != 0x00) return marker;
  }
}

bool is_sof(std::uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

struct SofState {
  bool seen = false;
  int luma_table = 0;
};

void read_sof(std::uint8_t marker, std::span<const std::uint8_t> p, JpegInfo& info, SofState& sof) {
  if (sof.seen) malformed("more than one frame header (SOF)");
  sof.seen = true;
  if (marker == 0xC3 || (marker >= 0xC5 && marker <= 0xC7))
    fail(Errc::unsupported_format, "jpeg: lossless and hierarchical JPEG (SOF " + hex(marker) + ") are not supported");
  if (marker >= 0xC9)
    fail(Errc::unsupported_format, "jpeg: arithmetic coding (SOF " + hex(marker) + ") is not supported");
  if (p.size() < 6) malformed("frame header (SOF) too short");
  const int precision = p[0];
  info.height = static_cast<int>(read_u16(p, 1));
  info.width = static_cast<int>(read_u16(p, 3));
  info.components = p[5];
  info.progressive = marker == 0xC2;
  if (p.size() != 6 + 3 * std::size_t{p[5]}) malformed("frame header (SOF) length does not match its component count");
  if (precision != 8)
    fail(Errc::unsupported_format, "jpeg: " + std::to_string(precision) + "-bit samples are not supported");
  if (info.width == 0 || info.height == 0)
    malformed("image size " + std::to_string(info.width) + "x" + std::to_string(info.height));
  if (info.components == 0) malformed("frame header (SOF) has no components");
  if (info.components != 1 && info.components != 3)
    fail(Errc::unsupported_format,
         "jpeg: " + std::to_string(info.components) + " components (only gray and YCbCr are supported)");
  std::array<int, 3> h{}, v{};
  for (int c = 0; c < info.components; ++c) {
    const std::uint8_t factors = p[6 + 3 * c + 1];
    const int table = p[6 + 3 * c + 2];
    h[c] = factors >> 4;
    v[c] = factors & 0x0F;
    if (h[c] < 1 || h[c] > 4 || v[c] < 1 || v[c] > 4) malformed("sampling factor out of range 1..4");
    if (table > 3) malformed("quantization table selector above 3");
    if (c == 0) sof.luma_table = table;
  }
  info.subsampling = info.components == 1 ? TJSAMP_GRAY : classify_subsampling(h, v);
  if (info.subsampling < 0) fail(Errc::unsupported_format, "jpeg: unusual chroma sampling factors");
}

struct DqtState {
  std::array<QuantTable, 4> tables{};
  std::array<bool, 4> defined{};
  std::array<bool, 4> sixteen_bit{};
};

void read_dqt(std::span<const std::uint8_t> p, DqtState& dqt) {
  std::size_t at = 0;
  while (at < p.size()) {
    const int precision = p[at] >> 4;
    const int id = p[at] & 0x0F;
    ++at;
    if (precision > 1) malformed("quantization table precision above 16 bits");
    if (id > 3) malformed("quantization table id above 3");
    const std::size_t entry_bytes = precision == 0 ? 1 : 2;
    if (p.size() - at < 64 * entry_bytes) malformed("quantization table (DQT) truncated");
    for (std::size_t k = 0; k < 64; ++k) {
      const unsigned value = precision == 0 ? p[at + k] : read_u16(p, at + 2 * k);
      dqt.tables[id][kNaturalOrder[k]] = static_cast<int>(value);
    }
    at += 64 * entry_bytes;
    dqt.defined[id] = true;
    dqt.sixteen_bit[id] = precision == 1;
  }
}

bool is_adobe_app14(std::uint8_t marker, std::span<const std::uint8_t> p) {
  static constexpr std::uint8_t kAdobe[] = {'A', 'd', 'o', 'b', 'e'};
  return marker == 0xEE && p.size() >= sizeof kAdobe && std::equal(std::begin(kAdobe), std::end(kAdobe), p.begin());
}

}  // namespace

std::vector<JpegMarkerSegment> walk_jpeg_header(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2 || bytes[0] != 0xFF || bytes[1] != 0xD8) malformed("no SOI marker at the start");
  std::vector<JpegMarkerSegment> segments;
  std::size_t pos = 2;
  for (;;) {
    const std::uint8_t marker = next_marker(bytes, pos);
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // TEM, RSTn: no length field
    if (marker == 0xD8 || marker == 0xD9) malformed("marker " + hex(marker) + " before the first scan");
    if (bytes.size() - pos < 2) malformed("segment length cut off");
    const std::size_t length = read_u16(bytes, pos);
    if (length < 2) malformed("segment " + hex(marker) + " has length " + std::to_string(length));
    if (length > bytes.size() - pos) malformed("segment " + hex(marker) + " runs past the end of the data");
    segments.push_back({marker, pos - 2, pos + length, bytes.subspan(pos + 2, length - 2)});
    pos += length;
    if (marker == 0xDA) return segments;
  }
}

JpegInfo parse_jpeg(std::span<const std::uint8_t> bytes) {
  JpegInfo info;
  SofState sof;
  DqtState dqt;
  for (const JpegMarkerSegment& segment : walk_jpeg_header(bytes)) {
    const std::uint8_t marker = segment.marker;
    const auto payload = segment.payload;
    if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE) {
      // The Adobe APP14 segment is not metadata but the colour transform of the old encoding; copied onto
      // TurboJPEG's YCbCr output it could tell decoders the data is RGB.
      if (!is_adobe_app14(marker, payload)) info.metadata.push_back({marker, {payload.begin(), payload.end()}});
    } else if (is_sof(marker)) {
      read_sof(marker, payload, info, sof);
    } else if (marker == 0xDB) {
      read_dqt(payload, dqt);
    } else if (marker == 0xDA) {
      if (!sof.seen) malformed("scan (SOS) without a frame header (SOF)");
      if (!dqt.defined[sof.luma_table]) malformed("the luma quantization table is not defined before the scan");
      info.estimated_quality = estimate_quality(dqt.tables[sof.luma_table], dqt.sixteen_bit[sof.luma_table]);
    } else if (marker != 0xC4 && marker != 0xCC && marker != 0xDC && marker != 0xDD) {
      // DHT, DAC, DNL and DRI are the entropy decoder's business; libjpeg rejects any other marker too.
      malformed("unknown marker " + hex(marker));
    }
  }
  return info;
}

}  // namespace provmark::codecs
