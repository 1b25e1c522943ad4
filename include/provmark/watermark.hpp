// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The blind, keyed image watermark (spec/image-watermark-v1.md).
///
/// Thread safety: every function here may be called concurrently from several threads, with the
/// same or different keys. Keys are immutable after construction.
///
/// Memory: a thread that embeds or detects keeps the large working buffers of its last call (at most
/// 64 MB, freed when the thread ends) for its next one, so a batch does not page them in again per file.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/codec.hpp"
#include "provmark/image.hpp"
#include "provmark/limits.hpp"

namespace provmark {

/// A secret 32-byte watermark key. Without it nobody can detect, read or forge the mark.
/// The bytes are wiped on destruction and compared in constant time; they never appear in
/// messages. File format: spec/image-watermark-v1.md#key-file.
class WatermarkKey {
 public:
  static constexpr std::size_t size = 32;

  /// A fresh key from libsodium's CSPRNG.
  [[nodiscard]] static WatermarkKey generate();
  /// @throws Error(bad_key) unless `bytes` has exactly 32 bytes.
  [[nodiscard]] static WatermarkKey from_bytes(std::span<const std::uint8_t> bytes);
  /// Parses a key file's contents: the text form, or exactly 32 raw bytes. @throws Error(bad_key)
  [[nodiscard]] static WatermarkKey parse(std::span<const std::uint8_t> file_contents);
  /// @throws Error(io | bad_key)
  [[nodiscard]] static WatermarkKey load(const std::filesystem::path& path);
  /// Writes the text form atomically with mode 0600. @throws Error(io)
  void save(const std::filesystem::path& path) const;

  WatermarkKey(const WatermarkKey&) = default;
  WatermarkKey& operator=(const WatermarkKey&) = default;
  ~WatermarkKey();

  /// Constant-time comparison.
  [[nodiscard]] bool operator==(const WatermarkKey& other) const noexcept;
  /// A public 8-hex-digit identifier of the key (BLAKE2b of it), safe to log.
  [[nodiscard]] std::string fingerprint() const;
  [[nodiscard]] std::span<const std::uint8_t, size> bytes() const noexcept { return bytes_; }

 private:
  WatermarkKey() = default;
  std::array<std::uint8_t, size> bytes_{};
};

/// The 64 data bits a watermark carries.
struct Payload {
  static constexpr std::size_t size = 8;
  std::array<std::uint8_t, size> bytes{};

  /// 16 hex digits. @throws Error(invalid_argument)
  [[nodiscard]] static Payload from_hex(std::string_view hex);
  [[nodiscard]] static Payload from_u64(std::uint64_t value) noexcept;
  [[nodiscard]] std::string to_hex() const;
  [[nodiscard]] std::uint64_t to_u64() const noexcept;
  bool operator==(const Payload&) const = default;
};

struct EmbedOptions {
  /// Multiplies the default amplitude (1.0 gives ~43 dB PSNR on photos). 0 < strength <= 4.
  float strength = 1.0f;
};

struct DetectOptions {
  /// A watermark is reported only when its false-alarm probability is below this: 1e-9 or lower (the
  /// spec's ceiling); anything else (larger, zero, negative, NaN) is an invalid_argument error.
  double max_false_alarm = 1e-9;
};

/// What the detector found. `found == false` is an answer, not an error.
struct DetectResult {
  bool found = false;
  Payload payload{};                   ///< valid when found
  int corrected_bits = 0;              ///< coded bits the decoder had to correct
  int coded_bits = 0;                  ///< coded bits carried (spec: n)
  double false_alarm_probability = 1;  ///< upper bound on P(a report this strong from unmarked content)
  /// Geometry of the best candidate, relative to the marked image: scale and rotation in degrees
  /// (counter-clockwise), and whether the image was mirrored.
  double scale_x = 0, scale_y = 0, rotation_deg = 0;
  bool mirrored = false;
};

/// Embeds the watermark into `image` in place (gray8, rgb8 or rgba8; alpha untouched).
/// Only luma changes: the same offset is added to R, G and B.
/// @throws Error(invalid_argument) for a bad view, an image smaller than 64x64 or a bad strength.
void embed_into(const MutableImageView& image, const Payload& payload, const WatermarkKey& key,
                const EmbedOptions& options = {});

/// A watermarked copy of `image`.
[[nodiscard]] Image embed(const ImageView& image, const Payload& payload, const WatermarkKey& key,
                          const EmbedOptions& options = {});

/// Looks for the watermark of `key` in `image` (blind: the original is not needed).
/// @throws Error(invalid_argument) for a bad view.
[[nodiscard]] DetectResult detect(const ImageView& image, const WatermarkKey& key, const DetectOptions& options = {});

/// What a keyring search found.
struct KeyringDetectResult {
  std::optional<std::size_t> key_index;  ///< the key whose mark was found; empty when none was
  DetectResult result;                   ///< that key's result (the first key's when none was found)
};

/// Looks for the marks of several keys at once (a platform's keyring of providers). Whitening, the geometric
/// search and the folds do not depend on the key and are done once, so each further key costs a fraction of
/// a detection. For each key the answer is the one detect() gives; when marks of several keys are present,
/// the one found with the least search is reported (cheapest stage first, then keyring order). Each key's
/// false-alarm bound is its own: over a keyring of n keys, unmarked content fires at most n times as often.
/// @throws Error(invalid_argument) for a bad view or max_false_alarm.
[[nodiscard]] KeyringDetectResult detect_any(const ImageView& image, std::span<const WatermarkKey> keys,
                                             const DetectOptions& options = {});

/// Options for watermarking encoded files (JPEG or PNG).
struct FileEmbedOptions {
  EmbedOptions embed{};
  /// JPEG output quality; 0 re-encodes at the quality estimated from the input's tables.
  int jpeg_quality = 0;
  Limits limits{};
};

/// Watermarks encoded JPEG/PNG bytes, keeping the container, its metadata segments/chunks and
/// (JPEG) the chroma subsampling. @throws Error
[[nodiscard]] std::vector<std::uint8_t> embed_encoded(std::span<const std::uint8_t> bytes, const Payload& payload,
                                                      const WatermarkKey& key, const FileEmbedOptions& options = {});
/// Detects in encoded JPEG/PNG bytes (JPEGs are decoded at reduced scale: faster, same answer).
/// @throws Error
[[nodiscard]] DetectResult detect_encoded(std::span<const std::uint8_t> bytes, const WatermarkKey& key,
                                          const DetectOptions& options = {}, const Limits& limits = {});

/// File to file; the output is written atomically (nothing is left behind on failure).
void embed_file(const std::filesystem::path& in, const std::filesystem::path& out, const Payload& payload,
                const WatermarkKey& key, const FileEmbedOptions& options = {});
[[nodiscard]] DetectResult detect_file(const std::filesystem::path& in, const WatermarkKey& key,
                                       const DetectOptions& options = {}, const Limits& limits = {});

}  // namespace provmark
