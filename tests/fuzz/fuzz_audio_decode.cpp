// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: decode_audio on hostile bytes (FFmpeg's probing, every demuxer and decoder it picks, our
// memory I/O, sample conversion and limits). Only provmark::Error may escape, never Errc::internal.

#include <cstdlib>

#include "provmark/audio_codec.hpp"
#include "provmark/error.hpp"

using namespace provmark;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Limits limits;
  limits.max_audio_samples = 20'000'000;  // keeps a run within libFuzzer's memory limit
  try {
    (void)decode_audio({data, size}, limits);
  } catch (const Error& error) {
    if (error.code() == Errc::internal) std::abort();
  }
  return 0;
}
