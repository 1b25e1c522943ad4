// SPDX-License-Identifier: Apache-2.0
#include "provmark/audio.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "provmark/error.hpp"

using namespace provmark;

TEST_SUITE("core/audio") {
  TEST_CASE("an Audio buffer owns interleaved silence and views it") {
    Audio audio(44100, 2, 44100);
    CHECK(audio.frames() == 44100);
    CHECK(audio.samples().size() == 88200);
    const AudioView view = audio.view();
    CHECK(view.duration_seconds() == doctest::Approx(1.0));
    CHECK(view.sample_count() == 88200);
    CHECK_NOTHROW(check_view(view));
  }

  TEST_CASE("a generator's PCM buffer is viewed without a copy and copied on request") {
    std::vector<float> pcm = {0.1f, -0.1f, 0.2f, -0.2f, 0.3f, -0.3f};
    const MutableAudioView view{pcm.data(), 3, 2, 48000};
    view.samples[0] = 0.5f;
    CHECK(pcm[0] == 0.5f);
    const Audio copy = Audio::copy_of(view);
    CHECK(copy.frames() == 3);
    CHECK(copy.samples() == pcm);
  }

  TEST_CASE("meaningless views and formats are refused with invalid_argument") {
    float sample = 0;
    auto code_of = [](auto&& call) {
      try {
        call();
      } catch (const Error& e) {
        return e.code();
      }
      return Errc::ok;
    };
    CHECK(code_of([&] { check_view(AudioView{nullptr, 1, 1, 44100}); }) == Errc::invalid_argument);
    CHECK(code_of([&] { check_view(AudioView{&sample, 0, 1, 44100}); }) == Errc::invalid_argument);
    CHECK(code_of([&] { check_view(AudioView{&sample, 1, 0, 44100}); }) == Errc::invalid_argument);
    CHECK(code_of([&] { check_view(AudioView{&sample, 1, 1, 1000}); }) == Errc::invalid_argument);
    CHECK(code_of([] { Audio(10, 17, 44100); }) == Errc::invalid_argument);
  }
}
