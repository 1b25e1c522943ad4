// SPDX-License-Identifier: Apache-2.0
// The AIGC label in JPEG: APP1 XMP (written), APP1 Exif UserComment (read, blanked on write). The marker walk is
// the codec's (walk_jpeg_header); only the header up to the first scan is looked at, the rest is carried over.

#include <algorithm>
#include <optional>
#include <string>

#include "codecs/jpeg.hpp"
#include "core/fail.hpp"
#include "labels/carriers.hpp"
#include "labels/exif.hpp"
#include "labels/xmp.hpp"

namespace provmark::labels {
namespace {

using codecs::JpegMarkerSegment;

constexpr std::uint8_t kApp0 = 0xE0;
constexpr std::uint8_t kApp1 = 0xE1;
constexpr std::string_view kXmpSignature{"http://ns.adobe.com/xap/1.0/\0", 29};  // XMP part 3, 1.1.3
constexpr std::string_view kExifSignature{"Exif\0\0", 6};
constexpr std::size_t kMaxPayload = 65533;  // a 16-bit segment length counts its own two bytes
constexpr std::size_t kSegmentHeader = 4;   // marker and length

bool has_signature(const JpegMarkerSegment& segment, std::string_view signature) {
  return segment.marker == kApp1 && segment.payload.size() >= signature.size() &&
         std::equal(signature.begin(), signature.end(), segment.payload.begin(),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

std::string_view packet_of(const JpegMarkerSegment& segment) {
  const auto packet = segment.payload.subspan(kXmpSignature.size());
  return {reinterpret_cast<const char*>(packet.data()), packet.size()};
}

std::optional<ExifUserComment> aigc_comment(const JpegMarkerSegment& segment) {
  if (!has_signature(segment, kExifSignature)) return std::nullopt;
  auto comment = find_exif_user_comment(segment.payload.subspan(kExifSignature.size()));
  if (!comment || !is_aigc_comment(comment->text)) return std::nullopt;
  return comment;
}

std::vector<std::uint8_t> xmp_segment(std::string_view packet) {
  if (packet.size() > kMaxPayload - kXmpSignature.size())
    fail(Errc::limit_exceeded, "jpeg: the XMP packet (" + std::to_string(packet.size()) +
                                   " bytes) does not fit one APP1 segment, and extended XMP is not written");
  const std::size_t length = 2 + kXmpSignature.size() + packet.size();
  std::vector<std::uint8_t> out{0xFF, kApp1, static_cast<std::uint8_t>(length >> 8),
                                static_cast<std::uint8_t>(length & 0xFF)};
  out.insert(out.end(), kXmpSignature.begin(), kXmpSignature.end());
  out.insert(out.end(), packet.begin(), packet.end());
  return out;
}

}  // namespace

std::vector<CarrierValue> jpeg_aigc_values(std::span<const std::uint8_t> jpeg) {
  std::vector<CarrierValue> values;
  for (const JpegMarkerSegment& segment : codecs::walk_jpeg_header(jpeg)) {
    if (has_signature(segment, kXmpSignature)) {
      for (std::string& value : xmp_aigc_values(packet_of(segment))) values.push_back({kCarrierXmp, std::move(value)});
    } else if (auto comment = aigc_comment(segment)) {
      values.push_back({kCarrierExif, std::move(comment->text)});
    }
  }
  return values;
}

std::vector<std::uint8_t> jpeg_write_aigc(std::span<const std::uint8_t> jpeg, std::string_view json) {
  std::vector<ByteEdit> edits;
  // A new XMP segment goes after SOI and the APP0 (JFIF) and APP1 Exif segments at the head, where readers
  // expect it, and so before C2PA's APP11 segments.
  std::size_t insert_at = 2;
  bool at_head = true;
  bool written = false;
  for (const JpegMarkerSegment& segment : codecs::walk_jpeg_header(jpeg)) {
    at_head = at_head && (segment.marker == kApp0 || has_signature(segment, kExifSignature));
    if (at_head) insert_at = segment.end;
    if (has_signature(segment, kXmpSignature)) {
      // The first packet gets the label in place; any other one only loses its AIGC properties.
      const std::string_view packet = packet_of(segment);
      const std::string updated = xmp_set_aigc(packet, written ? std::nullopt : std::optional<std::string_view>(json));
      if (updated != packet) edits.push_back({segment.start, segment.end, xmp_segment(updated)});
      written = true;
    } else if (const auto comment = aigc_comment(segment)) {
      std::vector<std::uint8_t> blanked(jpeg.begin() + static_cast<std::ptrdiff_t>(segment.start),
                                        jpeg.begin() + static_cast<std::ptrdiff_t>(segment.end));
      const std::size_t at = kSegmentHeader + kExifSignature.size() + comment->offset;
      std::fill_n(blanked.begin() + static_cast<std::ptrdiff_t>(at), comment->length, std::uint8_t{0});
      edits.push_back({segment.start, segment.end, std::move(blanked)});
    }
  }
  if (!written) edits.push_back({insert_at, insert_at, xmp_segment(xmp_new_packet(json))});
  return apply_edits(jpeg, std::move(edits));
}

}  // namespace provmark::labels
