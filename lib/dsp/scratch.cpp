// SPDX-License-Identifier: Apache-2.0
#include "dsp/scratch.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace provmark::dsp {
namespace {

// Each block starts with a header holding its capacity, so a block can be reused for any request up to
// it and freed without being told its size.
constexpr std::size_t header = 64;  // keeps the caller's pointer 64-byte aligned
constexpr std::size_t page = 4096;
constexpr std::size_t cached_min = 64 * 1024;  // smaller blocks stay in malloc's own free lists
constexpr std::size_t max_cached_bytes = std::size_t{64} << 20;
// An image detection cycles through about 26 blocks of 100 KB and 20 of 1-1.6 MB (working-frame planes and
// spectra). At 48 blocks the large ones, first to go, were evicted and faulted in again on every call
// (60 detections of unmarked 1 MP JPEGs, process included: 30,000-47,000 page faults instead of 14,500).
constexpr std::size_t max_cached_blocks = 64;

struct Block {
  std::size_t capacity;
  void* base;
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

std::size_t capacity_of(void* p) noexcept {
  std::size_t capacity = 0;
  std::memcpy(&capacity, static_cast<unsigned char*>(p) - header, sizeof capacity);
  return capacity;
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
    void* base = cache.blocks[best].base;
    cache.bytes -= cache.blocks[best].capacity;
    cache.blocks[best] = cache.blocks[--cache.count];
    return static_cast<unsigned char*>(base) + header;
  }
  const std::size_t capacity = bytes >= cached_min ? (bytes + page - 1) / page * page : bytes;
  void* base = std::aligned_alloc(header, (header + capacity + header - 1) / header * header);
  if (base == nullptr) throw std::bad_alloc();
  std::memcpy(base, &capacity, sizeof capacity);
  return static_cast<unsigned char*>(base) + header;
}

void scratch_free(void* p) noexcept {
  if (p == nullptr) return;
  void* base = static_cast<unsigned char*>(p) - header;
  const std::size_t capacity = capacity_of(p);
  if (capacity < cached_min || cache.closed) {
    std::free(base);
    return;
  }
  thread_local Reaper reaper;
  // Over the bound, the largest kept block goes (a call on a bigger picture must not pin its memory).
  while (cache.count > 0 && (cache.count == max_cached_blocks || cache.bytes + capacity > max_cached_bytes)) {
    std::size_t largest = 0;
    for (std::size_t i = 1; i < cache.count; ++i)
      if (cache.blocks[i].capacity > cache.blocks[largest].capacity) largest = i;
    if (cache.blocks[largest].capacity < capacity) break;
    std::free(cache.blocks[largest].base);
    cache.bytes -= cache.blocks[largest].capacity;
    cache.blocks[largest] = cache.blocks[--cache.count];
  }
  if (cache.count == max_cached_blocks || cache.bytes + capacity > max_cached_bytes) {
    std::free(base);
    return;
  }
  cache.blocks[cache.count++] = {capacity, base};
  cache.bytes += capacity;
}

std::size_t scratch_cached_bytes() noexcept { return cache.bytes; }

void scratch_release_thread_cache() noexcept {
  for (std::size_t i = 0; i < cache.count; ++i) std::free(cache.blocks[i].base);
  cache.count = 0;
  cache.bytes = 0;
}

}  // namespace provmark::dsp
