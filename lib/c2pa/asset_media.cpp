// SPDX-License-Identifier: Apache-2.0
// Where c2pa-rs puts a manifest store in WAV, MP3 and BMFF files (asset_media.hpp), on top of the bounded
// structure parsers of lib/containers.
#include "c2pa/asset_media.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "containers/bmff.hpp"
#include "containers/id3.hpp"
#include "containers/riff.hpp"
#include "core/fail.hpp"

namespace provmark::c2pa {
namespace {

using Bytes = std::vector<std::uint8_t>;
using containers::BmffBox;
using containers::Id3Frame;
using containers::Id3Tag;

[[noreturn]] void two_stores(const char* format) {
  fail(Errc::malformed_input, std::string(format) + ": more than one manifest store");
}

// ---- WAV ------------------------------------------------------------------------------------------------

std::optional<std::size_t> c2pa_chunk(const containers::RiffForm& form) {
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < form.chunks.size(); ++i) {
    if (!form.chunks[i].is("C2PA")) continue;
    if (found) two_stores("wav");
    found = i;
  }
  return found;
}

// ---- MP3 ------------------------------------------------------------------------------------------------

constexpr std::string_view kGeobMime = "application/c2pa";
constexpr std::string_view kGeobLegacyMime = "application/x-c2pa-manifest-store";

// A GEOB frame's parts (ID3v2.4 4.15): encoding, MIME type (Latin-1, NUL), file name and description (in the
// encoding, each terminated by one NUL, or two for UTF-16), then the object. `data_at`: where the object starts.
struct Geob {
  std::string mime;
  std::size_t data_at = 0;
};

std::optional<Geob> parse_geob(std::span<const std::uint8_t> content) {
  if (content.empty() || content[0] > 3) return std::nullopt;
  const bool wide = content[0] == 1 || content[0] == 2;
  const auto mime_end = std::find(content.begin() + 1, content.end(), std::uint8_t{0});
  if (mime_end == content.end()) return std::nullopt;
  Geob geob;
  geob.mime.assign(content.begin() + 1, mime_end);
  std::size_t pos = static_cast<std::size_t>(mime_end - content.begin()) + 1;
  for (int field = 0; field < 2; ++field) {  // file name, description
    if (wide) {
      while (pos + 1 < content.size() && (content[pos] != 0 || content[pos + 1] != 0)) pos += 2;
      if (pos + 1 >= content.size()) return std::nullopt;
      pos += 2;
    } else {
      while (pos < content.size() && content[pos] != 0) ++pos;
      if (pos >= content.size()) return std::nullopt;
      pos += 1;
    }
  }
  geob.data_at = pos;
  return geob;
}

bool is_c2pa_mime(std::string_view mime) { return mime == kGeobMime || mime == kGeobLegacyMime; }

struct Mp3Store {
  Bytes store;
  std::optional<ByteRange> in_file;  // the store bytes in the file, when the frame stores them as they are
};

// c2pa-rs (id3_helper.rs): the GEOB frames with a C2PA MIME type; more than one means no usable store.
std::optional<Mp3Store> find_mp3_store(const Id3Tag& tag) {
  std::optional<Mp3Store> found;
  int count = 0;
  for (const Id3Frame& frame : tag.frames) {
    if (!frame.is("GEOB")) continue;
    auto content = containers::id3_frame_content(tag, frame);
    if (!content) continue;
    const auto geob = parse_geob(*content);
    if (!geob || !is_c2pa_mime(geob->mime)) continue;
    ++count;
    Mp3Store store;
    store.store.assign(content->begin() + static_cast<std::ptrdiff_t>(geob->data_at), content->end());
    // Frames we write have no flags, so their content is their stored bytes.
    if (tag.area_in_file && frame.flags[1] == 0 && !(tag.flags & 0x80)) {
      store.in_file = ByteRange{10 + frame.offset + 10 + geob->data_at, store.store.size()};
    }
    found = std::move(store);
  }
  if (count > 1) return std::nullopt;
  return found;
}

Bytes geob_content(std::span<const std::uint8_t> store) {
  // UTF-8, then MIME type, file name and description, each NUL-terminated (sizeof counts the last NUL).
  static constexpr char kFields[] = "\x03" "application/c2pa\0c2pa\0c2pa manifest store";
  Bytes content(kFields, kFields + sizeof kFields);
  content.reserve(content.size() + store.size());
  content.insert(content.end(), store.begin(), store.end());
  return content;
}

// ---- BMFF -----------------------------------------------------------------------------------------------

constexpr std::array<std::uint8_t, 16> kC2paUuid = {0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C,
                                                    0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81};

// A top-level C2PA uuid box: user type, version/flags, purpose, then (purpose "manifest") the merkle offset
// and the store.
struct C2paBox {
  const BmffBox* box = nullptr;
  std::string purpose;
  std::size_t store_at = 0;  // file offset of the store, for purpose "manifest"
};

std::optional<C2paBox> c2pa_box(std::span<const std::uint8_t> file, const BmffBox& box) {
  const std::size_t user_type = box.offset + box.header;
  if (box.depth != 0 || !box.is("uuid") || box.size < box.header + 20) return std::nullopt;
  if (!std::equal(kC2paUuid.begin(), kC2paUuid.end(), file.begin() + static_cast<std::ptrdiff_t>(user_type)))
    return std::nullopt;
  const std::size_t purpose_at = user_type + 16 + 4;
  const auto end = file.begin() + static_cast<std::ptrdiff_t>(box.end());
  const auto nul = std::find(file.begin() + static_cast<std::ptrdiff_t>(purpose_at), end, std::uint8_t{0});
  if (nul == end) fail(Errc::malformed_input, "bmff: C2PA box purpose is not terminated");
  C2paBox out{&box, std::string(file.begin() + static_cast<std::ptrdiff_t>(purpose_at), nul), 0};
  out.store_at = static_cast<std::size_t>(nul - file.begin()) + 1 + 8;
  if (out.purpose == "manifest" && out.store_at > box.end())
    fail(Errc::malformed_input, "bmff: C2PA box too short for its merkle offset");
  return out;
}

std::optional<C2paBox> manifest_box(std::span<const std::uint8_t> file, const std::vector<BmffBox>& boxes) {
  std::optional<C2paBox> found;
  for (const BmffBox& box : boxes) {
    auto c2pa = c2pa_box(file, box);
    if (!c2pa || c2pa->purpose != "manifest") continue;
    if (found) two_stores("bmff");
    found = std::move(c2pa);
  }
  return found;
}

void put_be(Bytes& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

Bytes manifest_uuid_box(std::span<const std::uint8_t> store) {
  constexpr std::string_view purpose = "manifest";
  const std::size_t size = 8 + 16 + 4 + purpose.size() + 1 + 8 + store.size();
  if (size > 0xFFFFFFFFu) fail(Errc::limit_exceeded, "bmff: manifest store too large for one box");
  Bytes box;
  box.reserve(size);
  put_be(box, size, 4);
  box.insert(box.end(), {'u', 'u', 'i', 'd'});
  box.insert(box.end(), kC2paUuid.begin(), kC2paUuid.end());
  put_be(box, 0, 4);  // version 0, flags 0
  box.insert(box.end(), purpose.begin(), purpose.end());
  put_be(box, 0, 1);
  put_be(box, 0, 8);  // no merkle box
  box.insert(box.end(), store.begin(), store.end());
  return box;
}

// Moves the chunk offsets at or past `from` by the size change (the stco/co64 boxes c2pa-rs moves: each track's
// sample table; C2PA A.5.9).
void move_chunk_offsets(Bytes& file, const std::vector<BmffBox>& boxes, std::size_t at, std::size_t removed,
                        std::size_t inserted, std::size_t from) {
  for (const BmffBox& box : boxes) {
    const bool co64 = box.path == "/moov/trak/mdia/minf/stbl/co64";
    if (!co64 && box.path != "/moov/trak/mdia/minf/stbl/stco") continue;
    const std::size_t width = co64 ? 8 : 4;
    // Where the box is in the new file (stco/co64 sit in moov, never inside the removed box).
    const std::size_t start = box.offset >= at + removed ? box.offset + inserted - removed : box.offset;
    const std::size_t entries_at = start + box.header + 8;
    if (box.size < box.header + 8) fail(Errc::malformed_input, "bmff: truncated chunk offset box");
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < 4; ++i) count = (count << 8) | file[start + box.header + 4 + i];
    if (count > (box.size - box.header - 8) / width) fail(Errc::malformed_input, "bmff: chunk offsets past the box");
    for (std::uint64_t e = 0; e < count; ++e) {
      const std::size_t p = entries_at + static_cast<std::size_t>(e) * width;
      std::uint64_t value = 0;
      for (std::size_t i = 0; i < width; ++i) value = (value << 8) | file[p + i];
      if (value < from) continue;
      // value >= from >= removed: no underflow; an overflow shows as a smaller result.
      const std::uint64_t moved = value - removed + inserted;
      if (moved < value - removed || (!co64 && moved > 0xFFFFFFFFu))
        fail(Errc::limit_exceeded, "bmff: a chunk offset no longer fits stco (co64 needed)");
      for (std::size_t i = 0; i < width; ++i) file[p + i] = static_cast<std::uint8_t>(moved >> (8 * (width - 1 - i)));
    }
  }
}

}  // namespace

std::optional<Bytes> wav_read_manifest_store(std::span<const std::uint8_t> wav) {
  const auto form = containers::parse_riff(wav);
  const auto index = c2pa_chunk(form);
  if (!index) return std::nullopt;
  const auto& chunk = form.chunks[*index];
  const auto data = wav.subspan(chunk.data_offset(), chunk.size);
  return Bytes(data.begin(), data.end());
}

std::optional<ByteRange> wav_manifest_store_range(std::span<const std::uint8_t> wav) {
  const auto form = containers::parse_riff(wav);
  const auto index = c2pa_chunk(form);
  if (!index) return std::nullopt;
  const auto& chunk = form.chunks[*index];
  return ByteRange{chunk.offset, std::min(chunk.padded_size(), form.end - chunk.offset)};
}

EmbeddedAsset wav_embed_manifest_store(std::span<const std::uint8_t> wav, std::span<const std::uint8_t> store) {
  check_manifest_store(store);
  const auto form = containers::parse_riff(wav);
  std::vector<bool> keep(form.chunks.size(), true);
  if (const auto index = c2pa_chunk(form)) keep[*index] = false;
  const std::vector<Bytes> chunk{containers::riff_chunk("C2PA", store)};
  EmbeddedAsset out{containers::riff_rebuild(wav, form, keep, chunk), {}};
  const std::size_t form_end = out.bytes.size() - (wav.size() - form.end);
  out.exclusions.push_back({form_end - chunk.front().size(), chunk.front().size()});
  return out;
}

std::optional<Bytes> mp3_read_manifest_store(std::span<const std::uint8_t> mp3) {
  const auto tag = containers::parse_id3v2(mp3);
  if (!tag) return std::nullopt;
  auto found = find_mp3_store(*tag);
  if (!found) return std::nullopt;
  return std::move(found->store);
}

std::optional<ByteRange> mp3_manifest_store_range(std::span<const std::uint8_t> mp3) {
  const auto tag = containers::parse_id3v2(mp3);
  if (!tag) return std::nullopt;
  const auto found = find_mp3_store(*tag);
  if (!found) return std::nullopt;
  return found->in_file;
}

EmbeddedAsset mp3_embed_manifest_store(std::span<const std::uint8_t> mp3, std::span<const std::uint8_t> store) {
  check_manifest_store(store);
  const auto tag = containers::parse_id3v2(mp3);
  if (tag && tag->major == 2) fail(Errc::unsupported_format, "mp3: ID3v2.2 tags are not rewritten");
  const int major = tag && tag->major == 3 ? 3 : 4;  // keep a v2.3 tag's frames as they are; else v2.4
  Bytes frames;
  if (tag) {
    for (const Id3Frame& frame : tag->frames) {
      if (frame.is("GEOB")) {
        const auto content = containers::id3_frame_content(*tag, frame);
        const auto geob = content ? parse_geob(*content) : std::nullopt;
        if (geob && is_c2pa_mime(geob->mime)) continue;  // the old store
      }
      const Bytes bytes = containers::id3_frame_bytes(*tag, frame);
      frames.insert(frames.end(), bytes.begin(), bytes.end());
    }
  }
  const Bytes content = geob_content(store);
  const Bytes geob = containers::id3_frame(major, "GEOB", content);
  const std::size_t geob_at = frames.size();
  frames.insert(frames.end(), geob.begin(), geob.end());
  EmbeddedAsset out;
  out.bytes = containers::id3_header(major, frames.size());
  out.bytes.reserve(out.bytes.size() + frames.size() + mp3.size());
  out.bytes.insert(out.bytes.end(), frames.begin(), frames.end());
  const std::size_t audio_at = tag ? tag->size : 0;
  out.bytes.insert(out.bytes.end(), mp3.begin() + static_cast<std::ptrdiff_t>(audio_at), mp3.end());
  out.exclusions.push_back({10 + geob_at + geob.size() - store.size(), store.size()});
  return out;
}

std::optional<Bytes> bmff_read_manifest_store(std::span<const std::uint8_t> bmff) {
  const auto boxes = containers::parse_bmff(bmff);
  const auto found = manifest_box(bmff, boxes);
  if (!found) return std::nullopt;
  return Bytes(bmff.begin() + static_cast<std::ptrdiff_t>(found->store_at),
               bmff.begin() + static_cast<std::ptrdiff_t>(found->box->end()));
}

std::optional<ByteRange> bmff_manifest_store_range(std::span<const std::uint8_t> bmff) {
  const auto boxes = containers::parse_bmff(bmff);
  const auto found = manifest_box(bmff, boxes);
  if (!found) return std::nullopt;
  return ByteRange{found->box->offset, found->box->size};
}

EmbeddedAsset bmff_embed_manifest_store(std::span<const std::uint8_t> bmff, std::span<const std::uint8_t> store) {
  check_manifest_store(store);
  const auto boxes = containers::parse_bmff(bmff);
  for (const BmffBox& box : boxes) {
    for (const char* type : {"moof", "sidx", "mfra", "iloc", "saio", "tfra"}) {
      if (box.is(type))
        fail(Errc::unsupported_format, "bmff: fragmented or item-based files (" + std::string(type) +
                                           " box) cannot be signed yet");
    }
  }
  const auto old = manifest_box(bmff, boxes);
  // In place of the old store, else right after ftyp (the first box), as c2pa-rs does.
  const std::size_t at = old ? old->box->offset : boxes.front().end();
  const std::size_t removed = old ? old->box->size : 0;
  // An ftyp of size 0 runs to the end of the file and would swallow the new box.
  if (!old && std::all_of(bmff.begin(), bmff.begin() + 4, [](std::uint8_t b) { return b == 0; }))
    fail(Errc::malformed_input, "bmff: the ftyp box runs to the end of the file");
  const Bytes box = manifest_uuid_box(store);
  EmbeddedAsset out;
  out.bytes.reserve(bmff.size() - removed + box.size());
  out.bytes.insert(out.bytes.end(), bmff.begin(), bmff.begin() + static_cast<std::ptrdiff_t>(at));
  out.bytes.insert(out.bytes.end(), box.begin(), box.end());
  out.bytes.insert(out.bytes.end(), bmff.begin() + static_cast<std::ptrdiff_t>(at + removed), bmff.end());
  move_chunk_offsets(out.bytes, boxes, at, removed, box.size(), at + removed);
  out.exclusions.push_back({at, box.size()});
  return out;
}

std::vector<BmffExclusion> bmff_required_exclusions() {
  std::vector<BmffExclusion> exclusions(3);
  exclusions[0].xpath = "/uuid";
  exclusions[0].data.push_back({8, Bytes(kC2paUuid.begin(), kC2paUuid.end())});
  exclusions[1].xpath = "/ftyp";
  exclusions[2].xpath = "/mfra";
  return exclusions;
}

std::vector<std::uint8_t> bmff_hash(std::span<const std::uint8_t> asset, const std::vector<BmffExclusion>& exclusions,
                                    std::string_view sha, bool offsets) {
  const auto boxes = containers::parse_bmff(asset);
  std::vector<std::size_t> markers;  // top-level box offsets
  for (const BmffBox& box : boxes)
    if (box.depth == 0 && offsets) markers.push_back(box.offset);
  std::vector<ByteRange> excluded;
  for (const BmffExclusion& exclusion : exclusions) {
    for (const BmffBox& box : boxes) {
      if (box.path != exclusion.xpath) continue;
      if (exclusion.length && *exclusion.length != box.size) continue;
      if (exclusion.version && box.version && *exclusion.version != *box.version) continue;
      if (exclusion.flags && box.flags) {
        std::uint32_t wanted = 0;
        if (exclusion.flags->size() >= 3)
          wanted = (std::uint32_t{(*exclusion.flags)[0]} << 16) | (std::uint32_t{(*exclusion.flags)[1]} << 8) |
                   (*exclusion.flags)[2];
        if (exclusion.exact.value_or(true) ? wanted != *box.flags : (wanted | *box.flags) != wanted) continue;
      }
      const bool data_matches = std::all_of(exclusion.data.begin(), exclusion.data.end(), [&](const auto& d) {
        const std::size_t at = box.offset + d.offset;
        return at <= asset.size() && d.value.size() <= asset.size() - at &&
               std::equal(d.value.begin(), d.value.end(), asset.begin() + static_cast<std::ptrdiff_t>(at));
      });
      if (!data_matches) continue;
      if (exclusion.subset.empty()) {
        excluded.push_back({box.offset, box.size});
        markers.erase(std::remove(markers.begin(), markers.end(), box.offset), markers.end());
        continue;
      }
      for (const auto& subset : exclusion.subset) {
        if (subset.offset > box.size) continue;
        const std::size_t rest = box.size - subset.offset;
        const std::size_t length = subset.length == 0 ? rest : std::min<std::size_t>(subset.length, rest);
        excluded.push_back({box.offset + subset.offset, length});
      }
    }
  }
  // The bytes left, as sorted disjoint ranges (inclusive ends, as c2pa-rs's hash_utils splits them).
  std::sort(excluded.begin(), excluded.end(), [](const ByteRange& a, const ByteRange& b) { return a.start < b.start; });
  struct Range {
    std::size_t first, last;
  };
  std::vector<Range> ranges;
  std::size_t pos = 0;
  for (const ByteRange& ex : excluded) {
    if (ex.length == 0) continue;
    if (ex.start > pos) ranges.push_back({pos, ex.start - 1});
    pos = std::max(pos, ex.start + ex.length);
  }
  if (pos < asset.size()) ranges.push_back({pos, asset.size() - 1});
  // Split at the markers, each marker a one-byte range of its own just before the bytes it starts.
  std::sort(markers.begin(), markers.end());
  std::vector<Range> split;
  for (Range r : ranges) {
    for (const std::size_t m : markers) {
      if (m < r.first || m > r.last) continue;
      if (m == r.first) {
        split.push_back({m, m});
      } else {
        split.push_back({r.first, m - 1});
        split.push_back({m, m});
        r.first = m;
      }
    }
    split.push_back(r);
  }
  const std::size_t before = split.empty() ? 0 : split.front().first;
  const std::size_t after = split.empty() ? (asset.empty() ? 0 : asset.size() - 1) : split.back().last;
  for (const std::size_t m : markers) {
    const bool covered =
        std::any_of(split.begin(), split.end(), [&](const Range& r) { return m >= r.first && m <= r.last; });
    if (!covered && m > before && m < after) split.push_back({m, m});
  }
  std::stable_sort(split.begin(), split.end(), [](const Range& a, const Range& b) { return a.first < b.first; });
  std::vector<HashPiece> pieces;
  pieces.reserve(split.size());
  for (const Range& r : split) {
    const bool marker = r.first == r.last && std::binary_search(markers.begin(), markers.end(), r.first);
    pieces.push_back({{r.first, r.last - r.first + 1}, marker});
  }
  return hash_pieces(asset, pieces, sha);
}

}  // namespace provmark::c2pa
