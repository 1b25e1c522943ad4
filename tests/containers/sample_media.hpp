// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small WAV, MP3 and MP4 files built byte by byte for container tests: the structure is what matters, the
// audio is a deterministic ramp (the real-audio files are in the interop test).

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace provmark::test {

using Bytes = std::vector<std::uint8_t>;

inline void put_le(Bytes& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}
inline void put_be(Bytes& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}
inline void put_text(Bytes& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }

inline Bytes ramp(std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return out;
}

inline Bytes riff_chunk_bytes(std::string_view id, const Bytes& data) {
  Bytes out;
  put_text(out, id);
  put_le(out, data.size(), 4);
  out.insert(out.end(), data.begin(), data.end());
  if (data.size() % 2) out.push_back(0);
  return out;
}

/// A 16-bit mono 8 kHz WAV: fmt, data of `samples` samples, and `extra` whole chunks after the data.
inline Bytes sample_wav(std::size_t samples = 4000, const std::vector<Bytes>& extra = {}) {
  Bytes fmt;
  put_le(fmt, 1, 2);          // PCM
  put_le(fmt, 1, 2);          // mono
  put_le(fmt, 8000, 4);       // sample rate
  put_le(fmt, 16000, 4);      // byte rate
  put_le(fmt, 2, 2);          // block align
  put_le(fmt, 16, 2);         // bits
  Bytes body;
  put_text(body, "WAVE");
  for (const Bytes& chunk : {riff_chunk_bytes("fmt ", fmt), riff_chunk_bytes("data", ramp(samples * 2))})
    body.insert(body.end(), chunk.begin(), chunk.end());
  for (const Bytes& chunk : extra) body.insert(body.end(), chunk.begin(), chunk.end());
  Bytes out;
  put_text(out, "RIFF");
  put_le(out, body.size(), 4);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

/// An ID3v2.`major` tag with the given frames (whole frames), `padding` zero bytes, then MPEG frame headers and a
/// ramp as "audio".
inline Bytes sample_mp3(int major, const std::vector<Bytes>& frames, std::size_t padding = 0) {
  Bytes tag_body;
  for (const Bytes& f : frames) tag_body.insert(tag_body.end(), f.begin(), f.end());
  tag_body.resize(tag_body.size() + padding, 0);
  Bytes out{'I', 'D', '3', static_cast<std::uint8_t>(major), 0, 0};
  const std::size_t size = tag_body.size();
  for (int shift = 21; shift >= 0; shift -= 7) out.push_back(static_cast<std::uint8_t>((size >> shift) & 0x7F));
  out.insert(out.end(), tag_body.begin(), tag_body.end());
  for (int frame = 0; frame < 8; ++frame) {
    put_be(out, 0xFFFB9064, 4);  // MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    const Bytes audio = ramp(413);
    out.insert(out.end(), audio.begin(), audio.end());
  }
  return out;
}

/// An ID3 text frame of version `major` (3: plain size, 4: syncsafe).
inline Bytes id3_text_frame(int major, std::string_view id, std::string_view text) {
  Bytes out;
  put_text(out, id);
  const std::size_t size = text.size() + 1;
  if (major == 4) {
    for (int shift = 21; shift >= 0; shift -= 7) out.push_back(static_cast<std::uint8_t>((size >> shift) & 0x7F));
  } else {
    put_be(out, size, 4);
  }
  out.push_back(0);
  out.push_back(0);
  out.push_back(3);  // UTF-8
  put_text(out, text);
  return out;
}

inline Bytes bmff_box(std::string_view type, const Bytes& payload) {
  Bytes out;
  put_be(out, payload.size() + 8, 4);
  put_text(out, type);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

/// ftyp (major brand `brand`), moov with one track whose stco points at two chunks in mdat, then mdat.
inline Bytes sample_mp4(std::string_view brand = "M4A ") {
  Bytes ftyp;
  put_text(ftyp, brand);
  put_be(ftyp, 0, 4);
  put_text(ftyp, "isomM4A ");
  const Bytes ftyp_box = bmff_box("ftyp", ftyp);
  const Bytes media = ramp(3000);
  auto moov_for = [&](std::uint32_t mdat_at) {
    Bytes stco;
    put_be(stco, 0, 4);  // version, flags
    put_be(stco, 2, 4);  // two chunks
    put_be(stco, mdat_at + 8, 4);
    put_be(stco, mdat_at + 8 + 1500, 4);
    const Bytes stbl = bmff_box("stbl", bmff_box("stco", stco));
    return bmff_box("moov", bmff_box("trak", bmff_box("mdia", bmff_box("minf", stbl))));
  };
  const std::size_t mdat_at = ftyp_box.size() + moov_for(0).size();
  Bytes out = ftyp_box;
  const Bytes moov = moov_for(static_cast<std::uint32_t>(mdat_at));
  out.insert(out.end(), moov.begin(), moov.end());
  const Bytes mdat = bmff_box("mdat", media);
  out.insert(out.end(), mdat.begin(), mdat.end());
  return out;
}

/// The two stco entries of a sample_mp4 (after any boxes were inserted).
inline std::vector<std::uint32_t> sample_mp4_chunk_offsets(const Bytes& mp4) {
  const std::string_view tag = "stco";
  const auto at = std::search(mp4.begin(), mp4.end(), tag.begin(), tag.end()) - mp4.begin();
  std::vector<std::uint32_t> offsets;
  for (int i = 0; i < 2; ++i) {
    std::uint32_t value = 0;
    for (int b = 0; b < 4; ++b) value = (value << 8) | mp4[static_cast<std::size_t>(at + 12 + 4 * i + b)];
    offsets.push_back(value);
  }
  return offsets;
}

/// The smallest bytes that pass for a manifest store (a `jumb` superbox whose jumd type starts with "c2pa").
inline Bytes fake_store(std::size_t size = 40) {
  Bytes out;
  put_be(out, size, 4);
  put_text(out, "jumb");
  put_be(out, 24, 4);
  put_text(out, "jumdc2pa");
  out.resize(size, 0x5A);
  return out;
}

}  // namespace provmark::test
