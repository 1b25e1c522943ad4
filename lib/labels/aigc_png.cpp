// SPDX-License-Identifier: Apache-2.0
// The AIGC label in PNG: iTXt XML:com.adobe.xmp (written), text chunks with keyword AIGC and the eXIf
// UserComment (read, removed or blanked on write). The chunk walk is the codec's (walk_png_chunks).

#include <zlib.h>

#include <algorithm>
#include <optional>
#include <string>

#include "codecs/png.hpp"
#include "core/fail.hpp"
#include "labels/carriers.hpp"
#include "labels/exif.hpp"
#include "labels/xmp.hpp"

namespace provmark::labels {
namespace {

using codecs::PngChunkPlace;

constexpr std::string_view kXmpKeyword = "XML:com.adobe.xmp";  // XMP part 3, 1.1.5
constexpr std::string_view kAigcKeyword = "AIGC";
constexpr std::string_view kExifSignature{"Exif\0\0", 6};
constexpr std::size_t kMaxInflated = std::size_t{16} << 20;
constexpr std::size_t kMaxKeyword = 79;

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "png: " + what); }

bool is(const PngChunkPlace& chunk, std::string_view type) {
  return std::equal(type.begin(), type.end(), chunk.type.begin());
}

bool is_text(const PngChunkPlace& chunk) { return is(chunk, "tEXt") || is(chunk, "zTXt") || is(chunk, "iTXt"); }

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The keyword of a text chunk, or "" when it has no NUL-terminated one of 1-79 bytes (no keyword we look for).
std::string_view keyword_of(const PngChunkPlace& chunk) {
  const std::string_view data = as_text(chunk.data.first(std::min(chunk.data.size(), kMaxKeyword + 1)));
  const std::size_t nul = data.find('\0');
  return nul == std::string_view::npos ? std::string_view{} : data.substr(0, nul);
}

class Inflater {
 public:
  Inflater() {
    if (inflateInit(&stream_) != Z_OK) fail(Errc::internal, "png: zlib inflateInit failed");
  }
  ~Inflater() { inflateEnd(&stream_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  std::string run(std::span<const std::uint8_t> compressed, std::size_t cap) {
    std::string out;
    char buffer[16384];
    stream_.next_in = const_cast<Bytef*>(compressed.data());  // zlib's API is not const-correct
    stream_.avail_in = static_cast<uInt>(compressed.size());  // chunk data is below 2^31 bytes
    for (;;) {
      stream_.next_out = reinterpret_cast<Bytef*>(buffer);
      stream_.avail_out = sizeof buffer;
      const int status = inflate(&stream_, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END) malformed("bad compressed text");
      out.append(buffer, sizeof buffer - stream_.avail_out);
      if (out.size() > cap) fail(Errc::limit_exceeded, "png: compressed text inflates beyond " + std::to_string(cap));
      if (status == Z_STREAM_END) return out;
    }
  }

 private:
  z_stream stream_{};
};

std::string latin1_to_utf8(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (byte >> 6));
      out += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
  return out;
}

// The text of a tEXt, zTXt or iTXt chunk as UTF-8 (tEXt and zTXt hold Latin-1).
std::string text_of(const PngChunkPlace& chunk, std::size_t keyword_size, std::size_t cap) {
  auto rest = chunk.data.subspan(keyword_size + 1);
  if (is(chunk, "tEXt")) return latin1_to_utf8(as_text(rest));
  if (is(chunk, "zTXt")) {
    if (rest.empty() || rest[0] != 0) malformed("zTXt chunk with an unknown compression method");
    return latin1_to_utf8(Inflater().run(rest.subspan(1), cap));
  }
  // iTXt: compression flag, method, language tag NUL, translated keyword NUL, text.
  if (rest.size() < 2 || rest[0] > 1 || rest[1] != 0) malformed("iTXt chunk with a bad compression flag or method");
  const bool compressed = rest[0] == 1;
  rest = rest.subspan(2);
  for (int field = 0; field < 2; ++field) {
    const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
    if (nul == rest.end()) malformed("iTXt chunk cut off");
    rest = rest.subspan(static_cast<std::size_t>(nul - rest.begin()) + 1);
  }
  return compressed ? Inflater().run(rest, cap) : std::string(as_text(rest));
}

std::span<const std::uint8_t> tiff_of(const PngChunkPlace& chunk) {
  const bool prefixed = chunk.data.size() >= kExifSignature.size() &&
                        std::equal(kExifSignature.begin(), kExifSignature.end(), chunk.data.begin());
  return chunk.data.subspan(prefixed ? kExifSignature.size() : 0);
}

std::optional<ExifUserComment> aigc_comment(const PngChunkPlace& chunk) {
  if (!is(chunk, "eXIf")) return std::nullopt;
  auto comment = find_exif_user_comment(tiff_of(chunk));
  if (!comment || !is_aigc_comment(comment->text)) return std::nullopt;
  return comment;
}

std::vector<std::uint8_t> xmp_chunk(std::string_view packet) {
  std::vector<std::uint8_t> data(kXmpKeyword.begin(), kXmpKeyword.end());
  data.insert(data.end(), {0, 0, 0, 0, 0});  // NUL, uncompressed, method 0, no language tag, no translation
  data.insert(data.end(), packet.begin(), packet.end());
  return codecs::png_chunk_bytes({'i', 'T', 'X', 't'}, data);
}

std::size_t inflate_cap(const Limits& limits) { return std::min(kMaxInflated, limits.max_file_bytes); }

}  // namespace

std::vector<CarrierValue> png_aigc_values(std::span<const std::uint8_t> png, const Limits& limits) {
  std::vector<CarrierValue> values;
  for (const PngChunkPlace& chunk : codecs::walk_png_chunks(png)) {
    if (auto comment = aigc_comment(chunk)) {
      values.push_back({kCarrierExif, std::move(comment->text)});
    } else if (is_text(chunk)) {
      const std::string_view keyword = keyword_of(chunk);
      if (keyword == kXmpKeyword) {
        for (std::string& value : xmp_aigc_values(text_of(chunk, keyword.size(), inflate_cap(limits))))
          values.push_back({kCarrierXmp, std::move(value)});
      } else if (keyword == kAigcKeyword) {
        values.push_back({kCarrierPngText, text_of(chunk, keyword.size(), inflate_cap(limits))});
      }
    }
  }
  return values;
}

std::vector<std::uint8_t> png_write_aigc(std::span<const std::uint8_t> png, std::string_view json,
                                         const Limits& limits) {
  std::vector<ByteEdit> edits;
  std::optional<std::size_t> first_idat;
  std::optional<std::string> moved;  // the label's packet when it has to move before IDAT
  bool written = false;
  for (const PngChunkPlace& chunk : codecs::walk_png_chunks(png)) {
    if (is(chunk, "IDAT") && !first_idat) first_idat = chunk.start;
    if (const auto comment = aigc_comment(chunk)) {
      std::vector<std::uint8_t> blanked(chunk.data.begin(), chunk.data.end());
      const std::size_t at = (chunk.data.size() - tiff_of(chunk).size()) + comment->offset;
      std::fill_n(blanked.begin() + static_cast<std::ptrdiff_t>(at), comment->length, std::uint8_t{0});
      edits.push_back({chunk.start, chunk.end, codecs::png_chunk_bytes(chunk.type, blanked)});
    } else if (is_text(chunk)) {
      const std::string_view keyword = keyword_of(chunk);
      if (keyword == kAigcKeyword) {
        edits.push_back({chunk.start, chunk.end, {}});
      } else if (keyword == kXmpKeyword) {
        // The first packet gets the label (moved before IDAT if it stood after); any other one only loses its
        // AIGC properties.
        const std::string packet = text_of(chunk, keyword.size(), inflate_cap(limits));
        if (!written) {
          std::string updated = xmp_set_aigc(packet, json);
          if (first_idat) {
            moved = std::move(updated);
            edits.push_back({chunk.start, chunk.end, {}});
          } else {
            edits.push_back({chunk.start, chunk.end, xmp_chunk(updated)});
          }
        } else if (const std::string updated = xmp_set_aigc(packet, std::nullopt); updated != packet) {
          edits.push_back({chunk.start, chunk.end, xmp_chunk(updated)});
        }
        written = true;
      }
    }
  }
  if (!first_idat) malformed("no IDAT chunk");
  if (!written) moved = xmp_new_packet(json);
  if (moved) edits.push_back({*first_idat, *first_idat, xmp_chunk(*moved)});
  return apply_edits(png, std::move(edits));
}

}  // namespace provmark::labels
