// SPDX-License-Identifier: Apache-2.0
#include "dsp/scratch.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <sys/mman.h>

namespace provmark::dsp {
namespace {

// Each block's memory is preceded by a header holding its capacity and what to give free(), so a block can be
// reused for any request up to its capacity and freed without being told its size.
constexpr std::size_t header = 64;  // keeps the caller's pointer 64-byte aligned
struct Header {
  std::size_t capacity;
  void* allocation;
};
static_assert(sizeof(Header) <= header);
constexpr std::size_t page = 4096;
constexpr std::size_t cached_min = 64 * 1024;  // smaller blocks stay in malloc's own free lists
// Blocks this large are made of whole huge pages (dsp/scratch.hpp says why).
constexpr std::size_t huge_min = std::size_t{1} << 20;
constexpr std::size_t huge_page = std::size_t{2} << 20;
constexpr std::size_t max_cached_bytes = std::size_t{64} << 20;
// An image detection cycles through about 26 blocks of 100 KB and 20 of 1-1.6 MB (working-frame planes and
// spectra). At 48 blocks the large ones, first to go, were evicted and faulted in again on every call
// (60 detections of unmarked 1 MP JPEGs, process included: 30,000-47,000 page faults instead of 14,500).
constexpr std::size_t max_cached_blocks = 64;

struct Block {
  std::size_t capacity;
  void* data;  ///< what scratch_allocate returned
};

// Trivially destructible, so still usable while the thread's other objects are being destroyed.
struct Cache {
  std::array<Block, max_cached_blocks> blocks;
  std::size_t count;
  std::size_t bytes;
  bool closed;  // the thread is ending: free at once
};
thread_local Cache cache{};

// Frees the thread's blocks when it ends; constructed the first time a block is kept.
struct Reaper {
  Reaper() = default;
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;
  ~Reaper() {
    scratch_release_thread_cache();
    cache.closed = true;
  }
};

Header header_of(void* data) noexcept {
  Header h{};
  std::memcpy(&h, static_cast<unsigned char*>(data) - header, sizeof h);
  return h;
}

void release(void* data) noexcept { std::free(header_of(data).allocation); }

// A new block of `capacity` bytes at `data`, with its header, in memory from aligned_alloc.
void* new_block(std::size_t capacity, std::size_t alignment, std::size_t data_offset, std::size_t bytes_to_allocate) {
  void* allocation = std::aligned_alloc(alignment, bytes_to_allocate);
  if (allocation == nullptr) throw std::bad_alloc();
  unsigned char* data = static_cast<unsigned char*>(allocation) + data_offset;
  const Header h{capacity, allocation};
  std::memcpy(data - header, &h, sizeof h);
  return data;
}

}  // namespace

void* scratch_allocate(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes > SIZE_MAX - header - page) throw std::bad_alloc();
  // The smallest kept block that fits, unless it would waste more than the request itself.
  std::size_t best = cache.count;
  for (std::size_t i = 0; i < cache.count; ++i) {
    const std::size_t c = cache.blocks[i].capacity;
    if (c >= bytes && c <= 2 * bytes + cached_min && (best == cache.count || c < cache.blocks[best].capacity)) best = i;
  }
  if (best < cache.count) {
    void* data = cache.blocks[best].data;
    cache.bytes -= cache.blocks[best].capacity;
    cache.blocks[best] = cache.blocks[--cache.count];
    return data;
  }
  if (bytes >= huge_min && bytes <= SIZE_MAX - 2 * huge_page) {
    // Whole 2 MiB pages from a 2 MiB boundary on, the header just before it, and the advice to back them with
    // huge pages (without which, or without a free huge page, the kernel uses small ones).
    const std::size_t capacity = (bytes + huge_page - 1) / huge_page * huge_page;
    void* data = new_block(capacity, huge_page, huge_page, huge_page + capacity);
    (void)madvise(data, capacity, MADV_HUGEPAGE);
    return data;
  }
  const std::size_t capacity = bytes >= cached_min ? (bytes + page - 1) / page * page : bytes;
  return new_block(capacity, header, header, (header + capacity + header - 1) / header * header);
}

void scratch_free(void* p) noexcept {
  if (p == nullptr) return;
  const std::size_t capacity = header_of(p).capacity;
  if (capacity < cached_min || cache.closed) {
    release(p);
    return;
  }
  thread_local Reaper reaper;
  // Over the bound, the largest kept block goes (a call on a bigger picture must not pin its memory).
  while (cache.count > 0 && (cache.count == max_cached_blocks || cache.bytes + capacity > max_cached_bytes)) {
    std::size_t largest = 0;
    for (std::size_t i = 1; i < cache.count; ++i)
      if (cache.blocks[i].capacity > cache.blocks[largest].capacity) largest = i;
    if (cache.blocks[largest].capacity < capacity) break;
    release(cache.blocks[largest].data);
    cache.bytes -= cache.blocks[largest].capacity;
    cache.blocks[largest] = cache.blocks[--cache.count];
  }
  if (cache.count == max_cached_blocks || cache.bytes + capacity > max_cached_bytes) {
    release(p);
    return;
  }
  cache.blocks[cache.count++] = {capacity, p};
  cache.bytes += capacity;
}

std::size_t scratch_cached_bytes() noexcept { return cache.bytes; }

void scratch_release_thread_cache() noexcept {
  for (std::size_t i = 0; i < cache.count; ++i) release(cache.blocks[i].data);
  cache.count = 0;
  cache.bytes = 0;
}

}  // namespace provmark::dsp
