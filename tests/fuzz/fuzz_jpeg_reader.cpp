// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the JPEG marker walk and every TurboJPEG decode path on hostile bytes. Only
// provmark::Error may escape a decoder; anything else (a crash, a sanitizer report, another exception) is a
// finding. A file that decodes to planes must also re-encode with its metadata intact.

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "codecs/jpeg.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark;
using namespace provmark::codecs;

void check_reencode(const JpegInfo& info, const YuvImage& yuv) {
  const JpegInfo again = parse_jpeg(encode_jpeg_yuv(yuv, info.estimated_quality, info.metadata));
  if (again.width != yuv.width || again.height != yuv.height || again.subsampling != yuv.subsampling) std::abort();
  // TurboJPEG's JFIF APP0 comes first unless the metadata brought its own APP0.
  const bool own_app0 =
      std::any_of(info.metadata.begin(), info.metadata.end(), [](const JpegSegment& s) { return s.marker == 0xE0; });
  const std::size_t skip = own_app0 ? 0 : 1;
  if (again.metadata.size() != info.metadata.size() + skip) std::abort();
  for (std::size_t i = 0; i < info.metadata.size(); ++i)
    if (again.metadata[i + skip].marker != info.metadata[i].marker ||
        again.metadata[i + skip].payload != info.metadata[i].payload)
      std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  Limits limits;
  limits.max_pixels = 1 << 20;  // keeps each run fast; the limit path is part of what is fuzzed

  JpegInfo info;
  try {
    info = parse_jpeg(bytes);
  } catch (const Error&) {
    return 0;
  }
  try {
    (void)decode_jpeg(bytes, limits);
  } catch (const Error&) {
  }
  try {
    (void)decode_jpeg_gray_scaled(bytes, limits, 64);
  } catch (const Error&) {
  }
  std::optional<YuvImage> yuv;
  try {
    yuv = decode_jpeg_yuv(bytes, limits);
  } catch (const Error&) {
  }
  if (yuv) check_reencode(info, *yuv);  // an Error here is a finding: decodable planes must re-encode
  return 0;
}
