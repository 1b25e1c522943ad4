// SPDX-License-Identifier: Apache-2.0
// Scratch memory: large blocks are kept per thread and handed out again, within a bound.
#include <doctest/doctest.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "dsp/fft.hpp"
#include "dsp/plane.hpp"
#include "dsp/scratch.hpp"

namespace dsp = provmark::dsp;

TEST_SUITE("dsp") {
  TEST_CASE("a freed large block is handed out again to the same thread") {
    dsp::scratch_release_thread_cache();
    void* first = dsp::scratch_allocate(1 << 20);
    CHECK(reinterpret_cast<std::uintptr_t>(first) % 64 == 0);
    dsp::scratch_free(first);
    CHECK(dsp::scratch_cached_bytes() >= (1u << 20));
    void* again = dsp::scratch_allocate(1 << 20);
    CHECK(again == first);
    CHECK(dsp::scratch_cached_bytes() == 0);
    dsp::scratch_free(again);
    dsp::scratch_release_thread_cache();
    CHECK(dsp::scratch_cached_bytes() == 0);
  }

  TEST_CASE("a kept block is not wasted on a much smaller request, nor reused for a larger one") {
    dsp::scratch_release_thread_cache();
    void* big = dsp::scratch_allocate(4 << 20);
    dsp::scratch_free(big);
    void* small = dsp::scratch_allocate(256 << 10);
    CHECK(small != big);
    void* larger = dsp::scratch_allocate(5 << 20);
    CHECK(larger != big);
    dsp::scratch_free(small);
    dsp::scratch_free(larger);
    dsp::scratch_release_thread_cache();
  }

  TEST_CASE("small blocks go straight back to malloc") {
    dsp::scratch_release_thread_cache();
    dsp::scratch_free(dsp::scratch_allocate(1000));
    CHECK(dsp::scratch_cached_bytes() == 0);
  }

  TEST_CASE("what a thread keeps is bounded") {
    dsp::scratch_release_thread_cache();
    std::vector<void*> blocks;
    for (int i = 0; i < 100; ++i) blocks.push_back(dsp::scratch_allocate(3 << 20));  // 300 MB in use
    for (void* p : blocks) dsp::scratch_free(p);
    CHECK(dsp::scratch_cached_bytes() > 0);
    CHECK(dsp::scratch_cached_bytes() <= (std::size_t{64} << 20));
    dsp::scratch_release_thread_cache();
  }

  TEST_CASE("a block may be freed by another thread, and a thread's blocks are freed when it ends") {
    void* block = dsp::scratch_allocate(2 << 20);
    std::thread other([block] {
      dsp::scratch_free(block);  // kept by the other thread, freed when it ends (LeakSanitizer checks)
      CHECK(dsp::scratch_cached_bytes() >= (2u << 20));
    });
    other.join();
  }

  TEST_CASE("planes and FFT buffers reuse the memory of the previous call") {
    dsp::scratch_release_thread_cache();
    const float* plane_memory = nullptr;
    const dsp::cfloat* fft_memory = nullptr;
    {
      const dsp::Plane plane(512, 683);
      const dsp::FftBuffer<dsp::cfloat> spectrum(512 * 400);
      plane_memory = plane.data.data();
      fft_memory = spectrum.data();
    }
    const dsp::Plane plane(512, 683);
    const dsp::FftBuffer<dsp::cfloat> spectrum(512 * 400);
    // Both are rounded up to one 2 MiB block, so either may get either block back.
    const void* got_plane = plane.data.data();
    const void* got_spectrum = spectrum.data();
    CHECK((got_plane == plane_memory || got_plane == fft_memory));
    CHECK((got_spectrum == plane_memory || got_spectrum == fft_memory));
    CHECK(got_plane != got_spectrum);
    CHECK(plane.at(511, 682) == 0.0f);  // still zeroed
  }

  TEST_CASE("blocks of 1 MiB and more are whole 2 MiB pages, from a 2 MiB boundary") {
    dsp::scratch_release_thread_cache();
    void* large = dsp::scratch_allocate((3 << 20) / 2);
    CHECK(reinterpret_cast<std::uintptr_t>(large) % (2 << 20) == 0);
    dsp::scratch_free(large);
    CHECK(dsp::scratch_cached_bytes() == (2u << 20));
    void* smaller = dsp::scratch_allocate(1 << 20);  // fits the kept 2 MiB block
    CHECK(smaller == large);
    dsp::scratch_free(smaller);
    dsp::scratch_release_thread_cache();
  }
}
