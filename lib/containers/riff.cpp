// SPDX-License-Identifier: Apache-2.0
// Hand-written: no Debian library edits RIFF chunk lists in place (libsndfile rewrites the audio and drops
// unknown chunks). No size is trusted: every chunk is checked against the form before it is used.
#include "containers/riff.hpp"

#include <string>

#include "core/fail.hpp"

namespace provmark::containers {
namespace {

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "riff: " + what); }

std::uint32_t read_le32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return bytes[at] | (std::uint32_t{bytes[at + 1]} << 8) | (std::uint32_t{bytes[at + 2]} << 16) |
         (std::uint32_t{bytes[at + 3]} << 24);
}

void put_le32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

FourCc four_cc(std::span<const std::uint8_t> bytes, std::size_t at) {
  FourCc id;
  for (std::size_t i = 0; i < 4; ++i) id[i] = static_cast<char>(bytes[at + i]);
  return id;
}

}  // namespace

RiffForm parse_riff(std::span<const std::uint8_t> file) {
  if (file.size() < 12 || !std::equal(file.begin(), file.begin() + 4, "RIFF")) malformed("not a RIFF file");
  RiffForm form;
  form.end = 8 + std::size_t{read_le32(file, 4)};
  if (form.end > file.size()) malformed("the RIFF size reaches past the end of the file");
  if (form.end < 12) malformed("the RIFF size is too small");
  form.form_type = four_cc(file, 8);
  std::size_t pos = 12;
  while (pos < form.end) {
    if (form.end - pos < 8) malformed("truncated chunk header");
    if (form.chunks.size() == kMaxRiffChunks) fail(Errc::limit_exceeded, "riff: too many chunks");
    RiffChunk chunk{four_cc(file, pos), pos, read_le32(file, pos + 4)};
    if (chunk.size > form.end - pos - 8) malformed("a chunk reaches past the end of the RIFF form");
    form.chunks.push_back(chunk);
    pos += std::min(chunk.padded_size(), form.end - pos);  // the last chunk may lack its pad byte
  }
  return form;
}

std::vector<std::uint8_t> riff_chunk(std::string_view id, std::span<const std::uint8_t> data) {
  if (id.size() != 4) fail(Errc::invalid_argument, "riff: a chunk id has 4 characters");
  if (data.size() > 0xFFFFFFFEu) fail(Errc::limit_exceeded, "riff: chunk data of 4 GiB or more");
  std::vector<std::uint8_t> chunk(id.begin(), id.end());
  chunk.reserve(8 + data.size() + 1);
  put_le32(chunk, static_cast<std::uint32_t>(data.size()));
  chunk.insert(chunk.end(), data.begin(), data.end());
  if (data.size() & 1u) chunk.push_back(0);
  return chunk;
}

std::vector<std::uint8_t> riff_rebuild(std::span<const std::uint8_t> file, const RiffForm& form,
                                       const std::vector<bool>& keep,
                                       std::span<const std::vector<std::uint8_t>> appended) {
  if (keep.size() != form.chunks.size()) fail(Errc::internal, "riff: keep flags do not match the chunks");
  std::vector<std::uint8_t> out(file.begin(), file.begin() + 12);
  out.reserve(file.size() + 64);
  for (std::size_t i = 0; i < form.chunks.size(); ++i) {
    if (!keep[i]) continue;
    const RiffChunk& chunk = form.chunks[i];
    const auto begin = file.begin() + static_cast<std::ptrdiff_t>(chunk.offset);
    out.insert(out.end(), begin, begin + static_cast<std::ptrdiff_t>(8 + std::size_t{chunk.size}));
    if (chunk.size & 1u) out.push_back(0);  // written even when the input's last chunk lacked it
  }
  for (const auto& chunk : appended) out.insert(out.end(), chunk.begin(), chunk.end());
  if (out.size() - 8 > 0xFFFFFFFFu) fail(Errc::limit_exceeded, "riff: the form would reach 4 GiB");
  const auto riff_size = static_cast<std::uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) out[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(riff_size >> (8 * i));
  out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(form.end), file.end());
  return out;
}

}  // namespace provmark::containers
