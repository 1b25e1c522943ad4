// SPDX-License-Identifier: Apache-2.0
// label(): explicit label, AIGC metadata, watermark, C2PA manifest (labels.md §9.3). The two pixel steps run
// on one decoded image and the file is encoded once, so a JPEG loses quality to one re-encode, not two.
// Audio: lib/pipeline/label_audio.cpp.
#include <turbojpeg.h>

#include "codecs/jpeg.hpp"
#include "codecs/png.hpp"
#include "core/fail.hpp"
#include "pipeline/disclosure.hpp"
#include "pipeline/label_steps.hpp"
#include "pipeline/report_checks.hpp"
#include "provmark/inspect.hpp"
#include "provmark/label.hpp"

namespace provmark {
namespace {

using Bytes = std::vector<std::uint8_t>;

// The content identifier: 32 uppercase hex digits for AIGC's ProduceID and, from its first 8 bytes, the watermark
// payload, so a watermark found later names the content and its manifest.
struct ContentId {
  std::array<std::uint8_t, 16> bytes = pipeline::random_identifier();
  [[nodiscard]] std::string hex() const { return pipeline::upper_hex(bytes); }
  [[nodiscard]] Payload payload() const {
    Payload p;
    std::copy_n(bytes.begin(), Payload::size, p.bytes.begin());
    return p;
  }
};

void check_options(const LabelOptions& options) {
  if (options.jpeg_quality < 0 || options.jpeg_quality > 100)
    fail(Errc::invalid_argument, "jpeg quality must be 0 (same as input) or 1..100");
  if (options.signer == nullptr && options.store != nullptr)
    fail(Errc::invalid_argument, "a manifest store needs a signer: only signed manifests are stored");
}

// Steps 1 and 3 on decoded pixels.
void mark_pixels(const MutableImageView& pixels, const LabelOptions& options, LabelResult& result) {
  if (options.visible_label) result.visible_label = draw_visible_label(pixels, options.visible);
  if (options.watermark_key != nullptr)
    embed_into(pixels, *result.watermark, *options.watermark_key, options.watermark);
}

Bytes mark_encoded(std::span<const std::uint8_t> encoded, ImageFormat format, const LabelOptions& options,
                   LabelResult& result) {
  if (!options.visible_label && options.watermark_key == nullptr) return Bytes(encoded.begin(), encoded.end());
  if (format == ImageFormat::png) {
    codecs::PngImage png = codecs::decode_png(encoded, options.limits);
    mark_pixels(png.image.mutable_view(), options, result);
    return codecs::encode_png(png.image.view(), png.ancillary);
  }
  if (!options.visible_label)  // the luma-only fast path keeps chroma bit-exact
    return embed_encoded(encoded, *result.watermark, *options.watermark_key,
                         {options.watermark, options.jpeg_quality, options.limits});
  const codecs::JpegInfo info = codecs::parse_jpeg(encoded);
  Image pixels = codecs::decode_jpeg(encoded, options.limits);
  mark_pixels(pixels.mutable_view(), options, result);
  const int quality = options.jpeg_quality != 0 ? options.jpeg_quality : info.estimated_quality;
  return codecs::encode_jpeg(pixels.view(), quality, info.subsampling != TJSAMP_444, info.metadata);
}

AigcLabel aigc_for(const LabelOptions& options, const std::string& content_id) {
  AigcLabel aigc = options.aigc;
  if (aigc.produce_id.empty()) aigc.produce_id = content_id;
  if (options.aigc_copy_to_propagator) {
    if (aigc.content_propagator.empty()) aigc.content_propagator = aigc.content_producer;
    if (aigc.propagate_id.empty()) aigc.propagate_id = aigc.produce_id;
  }
  return aigc;
}

Bytes signed_manifest_store(std::span<const std::uint8_t> asset) {
  auto store = c2pa::read_manifest_store(c2pa::sniff_container(asset), asset);
  if (!store) fail(Errc::internal, "the signed file has no manifest store");
  return std::move(*store);
}

// Step 4, then a read-back: the output must validate before anyone relies on it (TC260 guides: verify after
// every write).
Bytes sign_and_store(Bytes asset, const LabelOptions& options, LabelResult& result) {
  const std::string_view alg = pipeline::watermark_alg_of(result.media_type);
  Manifest manifest(options.system_name, options.system_version);
  manifest.created(options.source_type);
  if (result.watermark) manifest.watermarked(*result.watermark, alg);
  manifest.add_cbor_assertion(
      std::string(pipeline::disclosure_assertion_label),
      pipeline::disclosure_cbor({options.provider, options.system_name, options.system_version, result.created,
                                 result.content_id, result.aigc, result.watermark, alg}));
  Bytes signed_asset = sign(asset, manifest, *options.signer);
  // Nobody is trusted here: everything but the signer's trust must hold.
  const ManifestReport check = inspect(signed_asset, pipeline::inspect_options(options.limits));
  const ValidationStatus* failure = pipeline::failure_other_than(check, {pipeline::untrusted_signer});
  if (!check.has_manifest || failure != nullptr)
    fail(Errc::internal,
         "the manifest just signed does not validate" + (failure ? ": " + failure->code : std::string()));
  result.manifest_label = check.active_manifest;
  // The store is keyed by the watermark payload: without a watermark nothing could find the manifest there.
  if (options.store != nullptr && result.watermark) {
    options.store->put({.payload = *result.watermark,
                        .store = signed_manifest_store(signed_asset),
                        .active_manifest = result.manifest_label,
                        .media_type = result.media_type,
                        .signed_at = result.created});
  }
  return signed_asset;
}

}  // namespace

namespace pipeline {

LabelResult start_label(const LabelOptions& options) {
  check_options(options);
  LabelResult result;
  result.created = std::chrono::system_clock::now();
  const ContentId id;
  result.content_id = options.aigc_label && !options.aigc.produce_id.empty() ? options.aigc.produce_id : id.hex();
  if (options.watermark_key != nullptr) result.watermark = id.payload();
  if (options.aigc_label) result.aigc = aigc_for(options, result.content_id);
  return result;
}

void finish_label(Bytes bytes, const LabelOptions& options, LabelResult& result) {
  result.media_type = identify_media(bytes).media_type;
  if (result.aigc) bytes = write_aigc_label(bytes, *result.aigc, options.limits);
  if (options.signer != nullptr) bytes = sign_and_store(std::move(bytes), options, result);
  result.bytes = std::move(bytes);
}

}  // namespace pipeline

LabelResult label(std::span<const std::uint8_t> encoded, const LabelOptions& options) {
  const pipeline::MediaKind kind = pipeline::identify_media(encoded);
  if (!kind.image) return pipeline::label_audio(encoded, kind, options);
  const ImageFormat format = sniff_image_format(encoded);
  LabelResult result = pipeline::start_label(options);
  pipeline::finish_label(mark_encoded(encoded, format, options, result), options, result);
  return result;
}

LabelResult label(const ImageView& pixels, ImageFormat format, const LabelOptions& options) {
  check_view(pixels);
  LabelResult result = pipeline::start_label(options);
  Image copy = Image::copy_of(pixels);
  mark_pixels(copy.mutable_view(), options, result);
  const int quality = options.jpeg_quality != 0 ? options.jpeg_quality : 90;
  pipeline::finish_label(
      format == ImageFormat::png ? codecs::encode_png(copy.view()) : codecs::encode_jpeg(copy.view(), quality, true),
      options, result);
  return result;
}

LabelResult label_file(const std::filesystem::path& in, const std::filesystem::path& out, const LabelOptions& options) {
  LabelResult result = label(read_file(in, options.limits), options);
  write_file_atomic(out, result.bytes);
  return result;
}

}  // namespace provmark
