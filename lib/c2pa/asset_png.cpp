// SPDX-License-Identifier: Apache-2.0
// The chunk walk is hand-written: libpng reads and writes images, not chunk lists, and cannot splice a chunk
// into an existing file without re-encoding it. CRCs use zlib's crc32. No length is trusted.

#include <zlib.h>

#include <algorithm>
#include <array>
#include <string>

#include "c2pa/asset_png.hpp"
#include "core/fail.hpp"

namespace provmark::c2pa {
namespace {

constexpr std::array<std::uint8_t, 8> kSignature = {137, 80, 78, 71, 13, 10, 26, 10};
constexpr std::size_t kChunkOverhead = 12;             // length, type, CRC
constexpr std::uint32_t kMaxChunkLength = 0x7FFFFFFF;  // PNG spec 5.3

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "png: " + what); }

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | bytes[at + 3];
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

bool is_type(std::span<const std::uint8_t> png, std::size_t chunk, std::string_view type) {
  return std::equal(type.begin(), type.end(), png.begin() + static_cast<std::ptrdiff_t>(chunk + 4));
}

// CRC over type and data (the length is not covered); lengths are < 2^31, so they fit zlib's uInt.
std::uint32_t chunk_crc(const std::uint8_t* type_and_data, std::uint32_t data_length) {
  return static_cast<std::uint32_t>(crc32(0, type_and_data, data_length + 4));
}

struct Layout {
  std::size_t ihdr_end = 0;        // where a new caBX goes
  std::optional<ByteRange> store;  // the whole caBX chunk
};

// Reading ignores chunk CRCs, as c2pa-rs does: the store is covered by its own hashes and signature, and
// the pixels by the data hash, so damage shows up in validation. Files we write are checked first.
enum class Crcs { ignore, check };

Layout scan(std::span<const std::uint8_t> png, Crcs crcs) {
  if (png.size() < kSignature.size() || !std::equal(kSignature.begin(), kSignature.end(), png.begin()))
    malformed("not a PNG (bad signature)");
  Layout layout;
  std::size_t pos = kSignature.size();
  for (;;) {
    if (png.size() - pos < kChunkOverhead) malformed("truncated chunk (no IEND)");
    const std::uint32_t length = read_u32(png, pos);
    if (length > kMaxChunkLength || length > png.size() - pos - kChunkOverhead)
      malformed("chunk reaches past the end");
    if (crcs == Crcs::check && chunk_crc(&png[pos + 4], length) != read_u32(png, pos + 8 + length))
      malformed("chunk CRC mismatch");
    const std::size_t end = pos + kChunkOverhead + length;
    if (pos == kSignature.size()) {
      if (!is_type(png, pos, "IHDR")) malformed("IHDR is not the first chunk");
      layout.ihdr_end = end;
    }
    if (is_type(png, pos, "caBX")) {
      if (layout.store) malformed("more than one manifest store");
      layout.store = ByteRange{pos, end - pos};
    }
    if (is_type(png, pos, "IEND")) break;  // bytes after IEND are carried over untouched
    pos = end;
  }
  return layout;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> png_read_manifest_store(std::span<const std::uint8_t> png) {
  const Layout layout = scan(png, Crcs::ignore);
  if (!layout.store) return std::nullopt;
  const auto data = png.subspan(layout.store->start + 8, layout.store->length - kChunkOverhead);
  return std::vector<std::uint8_t>(data.begin(), data.end());
}

std::vector<std::uint8_t> png_remove_manifest_store(std::span<const std::uint8_t> png) {
  const Layout layout = scan(png, Crcs::check);
  if (!layout.store) return {png.begin(), png.end()};
  return splice(png, StorePlacement{*layout.store, {layout.store->start, 0}}, {});
}

namespace {

std::vector<std::uint8_t> cabx_chunk(std::span<const std::uint8_t> store) {
  check_manifest_store(store);
  if (store.size() > kMaxChunkLength) fail(Errc::limit_exceeded, "png: manifest store too large for one chunk");
  std::vector<std::uint8_t> chunk;
  chunk.reserve(store.size() + kChunkOverhead);
  put_u32(chunk, static_cast<std::uint32_t>(store.size()));
  chunk.insert(chunk.end(), {'c', 'a', 'B', 'X'});
  chunk.insert(chunk.end(), store.begin(), store.end());
  put_u32(chunk, chunk_crc(&chunk[4], static_cast<std::uint32_t>(store.size())));
  return chunk;
}

// The new caBX goes right after IHDR; an old one (IHDR is first, so it lies after ihdr_end) goes away.
StorePlacement place(const Layout& layout, std::size_t chunk_size) {
  return {layout.store ? *layout.store : ByteRange{layout.ihdr_end, 0}, {layout.ihdr_end, chunk_size}};
}

}  // namespace

StorePlacement png_plan_manifest_store(std::span<const std::uint8_t> png, std::span<const std::uint8_t> store) {
  check_manifest_store(store);
  if (store.size() > kMaxChunkLength) fail(Errc::limit_exceeded, "png: manifest store too large for one chunk");
  return place(scan(png, Crcs::check), store.size() + kChunkOverhead);
}

EmbeddedAsset png_embed_manifest_store(std::span<const std::uint8_t> png, std::span<const std::uint8_t> store) {
  const std::vector<std::uint8_t> chunk = cabx_chunk(store);
  const StorePlacement placement = place(scan(png, Crcs::check), chunk.size());
  return {splice(png, placement, chunk), {placement.exclusion}};
}

}  // namespace provmark::c2pa
