// SPDX-License-Identifier: Apache-2.0
#pragma once
// Memory for the detectors' large working buffers, recycled per thread.
//
// Why not plain new/delete: one image detection allocates about 10 MB in buffers of 0.1-2 MB. glibc
// hands blocks of that size back to the kernel when they are freed (mmap'd chunks, heap trimming), so
// the next detection takes a page fault per 4 KB page on first touch: about 2,500 per unmarked 1 MP
// upload, a third of its CPU time on our (virtual) machines (perf). mallopt() would change the whole
// host process and a general allocator (jemalloc, tcmalloc) is the application's choice, not a
// library's; so each thread keeps the few large blocks it freed, up to a bound, for its next call.
// Blocks of 1 MiB and more are whole 2 MiB pages from a 2 MiB boundary, with madvise(MADV_HUGEPAGE): a
// process's first detection faults them in 2 MiB at a time (a one-file `provmark detect` of an unmarked 1 MP
// JPEG: 7,170 page faults and 113 ms CPU before, 2,970 and 76 ms after; no measurable change once warm).

#include <cstddef>
#include <new>
#include <utility>

namespace provmark::dsp {

/// Tag: a buffer that the next step overwrites entirely needs no zeroing.
struct Uninitialized {};

/// `bytes` of memory aligned to 64 bytes (enough for FFTW's SIMD plans); throws std::bad_alloc.
[[nodiscard]] void* scratch_allocate(std::size_t bytes);
/// Gives back a block of scratch_allocate (any thread may); nullptr is ignored.
void scratch_free(void* p) noexcept;
/// Bytes this thread keeps for reuse (for tests and diagnostics).
[[nodiscard]] std::size_t scratch_cached_bytes() noexcept;
/// Frees what this thread keeps.
void scratch_release_thread_cache() noexcept;

/// A standard allocator over scratch_allocate, for std::vector. Elements constructed without a value are
/// default-initialised (floats left as they are), so `vector(n)` does not zero what will be overwritten.
template <class T>
struct ScratchAllocator {
  using value_type = T;
  ScratchAllocator() noexcept = default;
  template <class U>
  ScratchAllocator(const ScratchAllocator<U>& /*unused*/) noexcept {}  // NOLINT: rebinding is implicit
  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / 2 / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(scratch_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t /*n*/) noexcept { scratch_free(p); }
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  bool operator==(const ScratchAllocator<U>& /*unused*/) const noexcept {
    return true;
  }
};

}  // namespace provmark::dsp
