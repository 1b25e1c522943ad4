// SPDX-License-Identifier: Apache-2.0
// The marker walk is hand-written: libjpeg-turbo offers no way to insert or remove marker segments in place,
// and a data hash needs the exact byte offsets of the segments. Only the header (up to SOS or EOI) is walked;
// the entropy-coded data is carried over untouched. No length is trusted.

#include <algorithm>
#include <string>

#include "c2pa/asset_jpeg.hpp"
#include "core/fail.hpp"

namespace provmark::c2pa {
namespace {

constexpr std::uint8_t kApp0 = 0xE0;
constexpr std::uint8_t kApp11 = 0xEB;
constexpr std::size_t kStoreBytesPerSegment = 64000;  // c2pa-rs's MAX_JPEG_MARKER_SIZE
constexpr std::uint32_t kBoxInstance = 0x0211;        // the En c2pa-rs writes; any value is valid
constexpr std::size_t kXtHeader = 8;                  // CI, En, Z
constexpr std::size_t kBoxHeader = 8;                 // the store's LBox + TBox, repeated in continuations

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "jpeg: " + what); }

std::uint32_t read_u16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 8) | bytes[at + 1];
}
std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (read_u16(bytes, at) << 16) | read_u16(bytes, at + 2);
}

// What the header walk found.
struct Layout {
  std::size_t after_app0 = 2;    // where a new store goes: after the last APP0, else right after SOI
  std::optional<ByteRange> run;  // the store's APP11 segments, markers included
  std::vector<std::uint8_t> store;
  std::vector<std::uint32_t> other_instances;  // En values of other JPEG XT boxes
};

// A JPEG XT segment that starts a C2PA store: Z == 1 box header "jumb", jumd type UUID beginning "c2pa".
bool starts_c2pa_store(std::span<const std::uint8_t> content) {
  static constexpr std::string_view kJumb = "jumb";
  static constexpr std::string_view kC2pa = "c2pa";
  return content.size() >= 28 && std::equal(kJumb.begin(), kJumb.end(), content.begin() + 12) &&
         std::equal(kC2pa.begin(), kC2pa.end(), content.begin() + 24);
}

// Folds one APP11 segment [start, end) with the given content into the layout.
class StoreCollector {
 public:
  explicit StoreCollector(Layout& layout) : layout_(layout) {}

  void add(std::size_t start, std::size_t end, std::span<const std::uint8_t> content) {
    if (content.size() < kXtHeader || content[0] != 'J' || content[1] != 'P') return;  // not JPEG XT
    const std::uint32_t instance = read_u16(content, 2);
    const std::uint32_t sequence = read_u32(content, 4);
    const bool ours = layout_.run.has_value() && instance == instance_;
    if (ours && sequence != 1) {
      if (start != run_end_) malformed("C2PA APP11 segments are not contiguous");
      if (sequence != last_sequence_ + 1) malformed("C2PA APP11 sequence number gap");
      if (content.size() < kXtHeader + kBoxHeader ||
          !std::equal(layout_.store.begin(), layout_.store.begin() + kBoxHeader, content.begin() + kXtHeader))
        malformed("C2PA APP11 continuation does not repeat the store's box header");
      layout_.store.insert(layout_.store.end(), content.begin() + kXtHeader + kBoxHeader, content.end());
      extend(sequence, end);
    } else if (starts_c2pa_store(content)) {
      if (layout_.run) malformed("more than one manifest store");
      if (sequence != 1) malformed("C2PA APP11 sequence does not start at 1");
      instance_ = instance;
      layout_.run = ByteRange{start, 0};
      layout_.store.assign(content.begin() + kXtHeader, content.end());
      extend(sequence, end);
    } else {
      layout_.other_instances.push_back(instance);  // another JPEG XT box; a Z of 1 also ends the store's run
    }
  }

  void finish() const {
    if (layout_.run && read_u32(layout_.store, 0) != layout_.store.size())
      malformed("manifest store length does not match its APP11 segments");
  }

 private:
  void extend(std::uint32_t sequence, std::size_t end) {
    last_sequence_ = sequence;
    run_end_ = end;
    layout_.run->length = end - layout_.run->start;
  }

  Layout& layout_;
  std::uint32_t instance_ = 0;
  std::uint32_t last_sequence_ = 0;
  std::size_t run_end_ = 0;
};

Layout scan(std::span<const std::uint8_t> jpeg) {
  if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) malformed("not a JPEG (no SOI)");
  Layout layout;
  StoreCollector collector(layout);
  std::size_t pos = 2;
  for (;;) {
    if (pos >= jpeg.size()) malformed("header ends without SOS or EOI");
    if (jpeg[pos] != 0xFF) malformed("expected a marker at offset " + std::to_string(pos));
    const std::size_t start = pos;
    while (pos < jpeg.size() && jpeg[pos] == 0xFF) ++pos;  // fill bytes may precede a marker
    if (pos >= jpeg.size()) malformed("truncated marker");
    const std::uint8_t marker = jpeg[pos++];
    if (marker == 0xDA || marker == 0xD9) break;                   // SOS or EOI: the header is over
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // TEM, RSTn: no length
    if (marker == 0x00 || marker == 0xD8) malformed("unexpected marker in the header");
    if (jpeg.size() - pos < 2) malformed("truncated segment length");
    const std::size_t length = read_u16(jpeg, pos);
    if (length < 2 || length > jpeg.size() - pos) malformed("segment reaches past the end");
    const std::size_t end = pos + length;
    if (marker == kApp0) layout.after_app0 = end;
    if (marker == kApp11) collector.add(start, end, jpeg.subspan(pos + 2, length - 2));
    pos = end;
  }
  collector.finish();
  return layout;
}

void put_u16(std::vector<std::uint8_t>& out, std::size_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

// c2pa-rs's En unless another JPEG XT box uses it: then segments of the two boxes would mix up.
std::uint32_t free_instance(const std::vector<std::uint32_t>& taken) {
  std::vector<bool> used(0x10000);
  for (const std::uint32_t instance : taken) used[instance] = true;
  for (std::uint32_t i = 0; i < used.size(); ++i)
    if (const std::uint32_t instance = (kBoxInstance + i) & 0xFFFF; !used[instance]) return instance;
  malformed("every JPEG XT box instance number is taken");
}

// The store as consecutive APP11 segments, laid out as c2pa-rs does.
std::vector<std::uint8_t> app11_segments(std::span<const std::uint8_t> store, std::uint32_t instance) {
  std::vector<std::uint8_t> out;
  std::uint32_t sequence = 1;
  for (std::size_t offset = 0; offset < store.size(); offset += kStoreBytesPerSegment, ++sequence) {
    const std::size_t chunk = std::min(kStoreBytesPerSegment, store.size() - offset);
    const std::size_t header = kXtHeader + (sequence > 1 ? kBoxHeader : 0);
    out.insert(out.end(), {0xFF, kApp11});
    put_u16(out, 2 + header + chunk);
    out.insert(out.end(), {'J', 'P'});
    put_u16(out, instance);
    put_u16(out, sequence >> 16);
    put_u16(out, sequence & 0xFFFF);
    if (sequence > 1) out.insert(out.end(), store.begin(), store.begin() + kBoxHeader);
    out.insert(out.end(), store.begin() + static_cast<std::ptrdiff_t>(offset),
               store.begin() + static_cast<std::ptrdiff_t>(offset + chunk));
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> jpeg_read_manifest_store(std::span<const std::uint8_t> jpeg) {
  Layout layout = scan(jpeg);
  if (!layout.run) return std::nullopt;
  return std::move(layout.store);
}

std::vector<std::uint8_t> jpeg_remove_manifest_store(std::span<const std::uint8_t> jpeg) {
  const Layout layout = scan(jpeg);
  if (!layout.run) return {jpeg.begin(), jpeg.end()};
  return splice(jpeg, StorePlacement{*layout.run, {layout.run->start, 0}}, {});
}

namespace {

// An existing store is replaced where it was (as c2pa-rs does); otherwise the JFIF APP0 stays first.
StorePlacement place(std::size_t segments_size, const Layout& layout) {
  const ByteRange cut = layout.run ? *layout.run : ByteRange{layout.after_app0, 0};
  return {cut, {cut.start, segments_size}};
}

}  // namespace

StorePlacement jpeg_plan_manifest_store(std::span<const std::uint8_t> jpeg, std::span<const std::uint8_t> store) {
  check_manifest_store(store);
  const Layout layout = scan(jpeg);
  return place(app11_segments(store, free_instance(layout.other_instances)).size(), layout);
}

EmbeddedAsset jpeg_embed_manifest_store(std::span<const std::uint8_t> jpeg, std::span<const std::uint8_t> store) {
  check_manifest_store(store);
  const Layout layout = scan(jpeg);
  const std::vector<std::uint8_t> segments = app11_segments(store, free_instance(layout.other_instances));
  const StorePlacement placement = place(segments.size(), layout);
  return {splice(jpeg, placement, segments), {placement.exclusion}};
}

}  // namespace provmark::c2pa
