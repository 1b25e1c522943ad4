// SPDX-License-Identifier: Apache-2.0
// Hand-written: Debian has no maintained C/C++ BMFF box library short of FFmpeg/GPAC, which remux whole files;
// C2PA needs the exact offsets of every box and in-place offset fixes. No size is trusted.
#include "containers/bmff.hpp"

#include <algorithm>

#include "core/fail.hpp"

namespace provmark::containers {
namespace {

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "bmff: " + what); }

std::uint64_t read_be(std::span<const std::uint8_t> bytes, std::size_t at, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | bytes[at + static_cast<std::size_t>(i)];
  return value;
}

// Boxes whose payload is a list of boxes (after `skip` bytes of their own fields). udta is left alone: QuickTime
// fills it with atoms that are not all boxes.
std::optional<std::size_t> children_at(std::span<const std::uint8_t> payload, std::string_view type) {
  static constexpr std::string_view plain[] = {"moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "mvex",
                                               "moof", "traf", "mfra", "iprp", "ipco", "sinf", "schi"};
  if (std::find(std::begin(plain), std::end(plain), type) != std::end(plain)) return 0;
  // ISO meta is a full box; QuickTime's meta is not (its hdlr comes first).
  if (type == "meta") {
    const bool quicktime = payload.size() >= 8 && std::equal(payload.begin() + 4, payload.begin() + 8, "hdlr");
    return quicktime ? 0 : 4;
  }
  return std::nullopt;
}

bool is_full_box(std::string_view type) {
  static constexpr std::string_view full[] = {"meta", "mvhd", "tkhd", "mdhd", "hdlr", "vmhd", "smhd", "dref",
                                              "stsd", "stts", "ctts", "stsc", "stsz", "stco", "co64", "stss",
                                              "elst", "mehd", "trex", "mfhd", "tfhd", "trun", "tfdt", "sidx",
                                              "iloc", "iinf", "pitm", "saio", "saiz", "tfra", "mfro"};
  return std::find(std::begin(full), std::end(full), type) != std::end(full);
}

void walk(std::span<const std::uint8_t> file, std::size_t begin, std::size_t end, const std::string& parent,
          int depth, std::vector<BmffBox>& boxes) {
  if (depth > kMaxBmffDepth) malformed("boxes nested too deeply");
  std::size_t pos = begin;
  while (pos < end) {
    if (end - pos < 8) malformed("truncated box header");
    if (boxes.size() == kMaxBmffBoxes) fail(Errc::limit_exceeded, "bmff: too many boxes");
    BmffBox box;
    std::copy(file.begin() + static_cast<std::ptrdiff_t>(pos + 4), file.begin() + static_cast<std::ptrdiff_t>(pos + 8),
              box.type.begin());
    const std::string_view type(box.type.data(), 4);
    std::uint64_t size = read_be(file, pos, 4);
    if (size == 1) {
      if (end - pos < 16) malformed("truncated 64-bit box size");
      size = read_be(file, pos + 8, 8);
      box.header = 16;
    } else if (size == 0) {
      size = end - pos;  // to the end of the enclosing box (or file)
    }
    if (size < box.header || size > end - pos) malformed("box '" + std::string(type) + "' reaches past its parent");
    box.offset = pos;
    box.size = static_cast<std::size_t>(size);
    box.depth = depth;
    box.path = parent + "/" + std::string(type);
    if (is_full_box(type) && box.size >= box.header + 4) {
      box.version = file[pos + box.header];
      box.flags = static_cast<std::uint32_t>(read_be(file, pos + box.header + 1, 3));
    }
    boxes.push_back(box);
    const auto payload = file.subspan(pos + box.header, box.size - box.header);
    if (const auto skip = children_at(payload, type); skip && payload.size() >= *skip) {
      const std::string path = box.path;
      walk(file, pos + box.header + *skip, box.end(), path, depth + 1, boxes);
    }
    pos += box.size;
  }
}

}  // namespace

bool is_bmff(std::span<const std::uint8_t> file) {
  return file.size() >= 8 && std::equal(file.begin() + 4, file.begin() + 8, "ftyp");
}

std::vector<BmffBox> parse_bmff(std::span<const std::uint8_t> file) {
  if (!is_bmff(file)) malformed("no ftyp box first");
  std::vector<BmffBox> boxes;
  walk(file, 0, file.size(), "", 0, boxes);
  return boxes;
}

}  // namespace provmark::containers
