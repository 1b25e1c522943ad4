// SPDX-License-Identifier: Apache-2.0
// Hand-written: Debian's ID3 libraries (id3lib, TagLib) parse and rewrite whole tags through their own frame
// models; C2PA needs the exact byte position of one frame's data, and every other frame kept byte for byte.
#include "containers/id3.hpp"

#include <algorithm>
#include <string>

#include "core/fail.hpp"

namespace provmark::containers {
namespace {

constexpr std::size_t kHeader = 10;
constexpr std::uint32_t kMaxSyncsafe = (1u << 28) - 1;

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "id3: " + what); }

std::optional<std::uint32_t> syncsafe(std::span<const std::uint8_t> bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (bytes[at + i] & 0x80) return std::nullopt;
    value = (value << 7) | bytes[at + i];
  }
  return value;
}

std::uint32_t read_be32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | bytes[at + 3];
}

void put_syncsafe(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 21; shift >= 0; shift -= 7) out.push_back(static_cast<std::uint8_t>((value >> shift) & 0x7F));
}

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

// Unsynchronisation inserted a 00 after every FF; take them out again.
std::vector<std::uint8_t> resynchronise(std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out.push_back(bytes[i]);
    if (bytes[i] == 0xFF && i + 1 < bytes.size() && bytes[i + 1] == 0x00) ++i;
  }
  return out;
}

bool valid_frame_id(std::span<const std::uint8_t> id) {
  return std::all_of(id.begin(), id.end(),
                     [](std::uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

}  // namespace

std::optional<Id3Tag> parse_id3v2(std::span<const std::uint8_t> file) {
  if (file.size() < 3 || !std::equal(file.begin(), file.begin() + 3, "ID3")) return std::nullopt;
  if (file.size() < kHeader) malformed("truncated tag header");
  Id3Tag tag;
  tag.major = file[3];
  tag.flags = file[5];
  if (tag.major < 2 || tag.major > 4 || file[4] == 0xFF) malformed("unknown version 2." + std::to_string(tag.major));
  const auto body_size = syncsafe(file, 6);
  if (!body_size) malformed("tag size is not syncsafe");
  const bool footer = tag.major == 4 && (tag.flags & 0x10);
  tag.size = kHeader + *body_size + (footer ? kHeader : 0);
  if (tag.size > file.size()) malformed("the tag reaches past the end of the file");
  if (tag.major == 2) return tag;  // 3-character frame ids: nothing C2PA reads

  const auto body = file.subspan(kHeader, *body_size);
  if (tag.major == 3 && (tag.flags & 0x80)) {
    tag.frames_area = resynchronise(body);
    tag.area_in_file = false;
  } else {
    tag.frames_area.assign(body.begin(), body.end());
  }
  const std::span<const std::uint8_t> area = tag.frames_area;
  std::size_t pos = 0;
  if (tag.flags & 0x40) {  // extended header: v2.3 size excludes its own 4 bytes, v2.4 size (syncsafe) includes them
    if (area.size() < 4) malformed("truncated extended header");
    std::size_t size = 0;
    if (tag.major == 3) {
      size = std::size_t{read_be32(area, 0)} + 4;
    } else {
      const auto s = syncsafe(area, 0);
      if (!s) malformed("extended header size is not syncsafe");
      size = *s;
    }
    if (size < 6 || size > area.size()) malformed("bad extended header size");
    pos = size;
  }
  while (area.size() - pos >= kHeader) {
    const auto header = area.subspan(pos, kHeader);
    if (header[0] == 0) break;  // padding
    if (!valid_frame_id(header.first(4))) break;  // junk after the frames (as some taggers leave): not frames
    std::uint32_t size = 0;
    if (tag.major == 4) {
      const auto s = syncsafe(header, 4);
      if (!s) malformed("frame size is not syncsafe");
      size = *s;
    } else {
      size = read_be32(header, 4);
    }
    if (size > area.size() - pos - kHeader) malformed("a frame reaches past the end of the tag");
    Id3Frame frame;
    std::copy(header.begin(), header.begin() + 4, frame.id.begin());
    frame.offset = pos;
    frame.size = size;
    frame.flags = {header[8], header[9]};
    tag.frames.push_back(frame);
    pos += kHeader + size;
  }
  tag.frames_area.resize(pos);
  return tag;
}

std::optional<std::vector<std::uint8_t>> id3_frame_content(const Id3Tag& tag, const Id3Frame& frame) {
  auto data = std::span<const std::uint8_t>(tag.frames_area).subspan(frame.offset + kHeader, frame.size);
  std::size_t skip = 0;
  bool unsynchronised = false;
  if (tag.major == 3) {
    if (frame.flags[1] & 0xC0) return std::nullopt;  // compressed or encrypted
    if (frame.flags[1] & 0x20) skip += 1;           // group id
  } else {
    if (frame.flags[1] & 0x0C) return std::nullopt;  // compressed or encrypted
    if (frame.flags[1] & 0x40) skip += 1;            // group id
    if (frame.flags[1] & 0x01) skip += 4;            // data length indicator
    unsynchronised = (frame.flags[1] & 0x02) || (tag.flags & 0x80);
  }
  if (skip > data.size()) malformed("frame shorter than its flags say");
  data = data.subspan(skip);
  if (unsynchronised) return resynchronise(data);
  return std::vector<std::uint8_t>(data.begin(), data.end());
}

std::vector<std::uint8_t> id3_frame_bytes(const Id3Tag& tag, const Id3Frame& frame) {
  const auto begin = tag.frames_area.begin() + static_cast<std::ptrdiff_t>(frame.offset);
  std::vector<std::uint8_t> out(begin, begin + static_cast<std::ptrdiff_t>(kHeader + frame.size));
  if (tag.major == 4 && (tag.flags & 0x80)) out[9] |= 0x02;
  return out;
}

std::vector<std::uint8_t> id3_frame(int major, std::string_view id, std::span<const std::uint8_t> content) {
  if (id.size() != 4 || (major != 3 && major != 4)) fail(Errc::invalid_argument, "id3: bad frame id or version");
  if (content.size() > kMaxSyncsafe - 2 * kHeader) fail(Errc::limit_exceeded, "id3: frame larger than a tag can be");
  std::vector<std::uint8_t> out(id.begin(), id.end());
  out.reserve(kHeader + content.size());
  const auto size = static_cast<std::uint32_t>(content.size());
  if (major == 4) put_syncsafe(out, size);
  else put_be32(out, size);
  out.push_back(0);
  out.push_back(0);
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

std::vector<std::uint8_t> id3_header(int major, std::size_t frames_size) {
  if (frames_size > kMaxSyncsafe) fail(Errc::limit_exceeded, "id3: tag larger than 256 MiB");
  std::vector<std::uint8_t> out{'I', 'D', '3', static_cast<std::uint8_t>(major), 0, 0};
  put_syncsafe(out, static_cast<std::uint32_t>(frames_size));
  return out;
}

}  // namespace provmark::containers
