// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the AIGC label carriers of JPEG and PNG (segment and chunk walks, text chunks, zlib, EXIF,
// XMP, JSON) on hostile files. Only provmark::Error may escape, never Errc::internal: that is what the writer's
// read-back check throws when a file would not carry exactly the one label written.

#include <cstdlib>

#include "png_crc.hpp"
#include "provmark/aigc.hpp"
#include "provmark/error.hpp"

using namespace provmark;

namespace {

void check(std::span<const std::uint8_t> file) {
  AigcLabel label;
  label.content_producer = "001191110102MAD55U9H0F10002";
  label.produce_id = "FUZZ";
  try {
    (void)read_aigc_labels(file);
    (void)write_aigc_label(file, label);
  } catch (const Error& error) {
    if (error.code() == Errc::internal) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check({data, size});
  if (size > 8 && data[0] == 137) check(with_fixed_crcs(data, size));
  return 0;
}
