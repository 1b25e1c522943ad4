// SPDX-License-Identifier: Apache-2.0
// The one-call pipelines: label() at export, propagate() on a platform, verify() at upload.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "native.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/label.hpp"
#include "provmark/verify.hpp"

namespace provmark::python {

namespace {

using namespace pybind11::literals;

std::string type_name(const py::handle& object) { return py::str(py::type::handle_of(object).attr("__name__")); }

ImageFormat image_format_from(const std::string& name) {
  if (name == "jpeg") return ImageFormat::jpeg;
  if (name == "png") return ImageFormat::png;
  throw Error(Errc::invalid_argument, "unknown image format '" + name + "'");
}

// LabelOptions with the objects its pointers name: copies of the key and signer (value types) and a share of
// the store, so that nothing the call uses can go away while the GIL is released. Not movable: the options
// point into it.
class LabelCall {
 public:
  LabelCall(const py::handle& visible_label, const py::handle& audible_label, const py::handle& aigc_label,
            bool aigc_copy_to_propagator, const py::handle& watermark_key, float strength, const py::handle& signer,
            std::string provider, std::string system_name, std::string system_version, const std::string& source_type,
            const py::handle& store, int jpeg_quality, const Limits& limits) {
    if (py::isinstance<py::bool_>(visible_label)) {
      options.visible_label = visible_label.cast<bool>();
    } else {
      options.visible = visible_label_options(visible_label);
    }
    if (py::isinstance<py::bool_>(audible_label)) {
      options.audible_label = audible_label.cast<bool>();
    } else {
      options.audible = audible_label_options(audible_label, clip_);
    }
    if (py::isinstance<py::bool_>(aigc_label)) {
      options.aigc_label = aigc_label.cast<bool>();
    } else {
      options.aigc = cast_argument<AigcLabel>(aigc_label, "aigc_label", "a bool or an AigcLabel");
    }
    options.aigc_copy_to_propagator = aigc_copy_to_propagator;
    if (!watermark_key.is_none()) {
      key_.emplace(cast_argument<WatermarkKey>(watermark_key, "watermark_key", "a WatermarkKey or None"));
      options.watermark_key = &*key_;
    }
    options.watermark.strength = strength;
    if (!signer.is_none()) {
      signer_.emplace(cast_argument<Signer>(signer, "signer", "a Signer or None"));
      options.signer = &*signer_;
    }
    options.provider = std::move(provider);
    options.system_name = std::move(system_name);
    options.system_version = std::move(system_version);
    options.source_type = digital_source_type_from(source_type);
    if (!store.is_none()) {
      store_ = cast_argument<const PythonManifestStore&>(store, "store", "a ManifestStore or None").get();
      options.store = store_.get();
    }
    options.jpeg_quality = jpeg_quality;
    options.limits = limits;
  }
  LabelCall(const LabelCall&) = delete;
  LabelCall& operator=(const LabelCall&) = delete;

  LabelOptions options;

 private:
  std::optional<WatermarkKey> key_;
  std::optional<Signer> signer_;
  std::shared_ptr<ManifestStore> store_;
  py::array clip_;  ///< the audible label's clip, which options.audible views
};

py::object audible_to_python(const AudibleLabelPlacement& placement) {
  return types().audible_label_placement(
      "level_dbfs"_a = placement.level_dbfs, "label_frames"_a = placement.label_frames,
      "content_offset"_a = placement.content_offset, "sample_rate"_a = placement.sample_rate);
}

py::object label_result_to_python(const LabelResult& result) {
  return types().label_result(
      "bytes"_a = to_bytes(result.bytes), "media_type"_a = to_text(result.media_type),
      "content_id"_a = to_text(result.content_id),
      "visible_label"_a = result.visible_label ? to_python(*result.visible_label) : py::none(),
      "audible_label"_a = result.audible_label ? audible_to_python(*result.audible_label) : py::none(),
      "aigc"_a = result.aigc ? to_python(*result.aigc) : py::none(),
      "watermark"_a = result.watermark ? py::cast(*result.watermark) : py::none(),
      "manifest_label"_a = to_text(result.manifest_label), "created"_a = to_datetime(result.created));
}

std::vector<KeyringEntry> keyring_from(const py::handle& keyring) {
  std::vector<KeyringEntry> entries;
  const py::object pairs =
      py::hasattr(keyring, "items") ? keyring.attr("items")() : py::reinterpret_borrow<py::object>(keyring);
  if (!py::isinstance<py::iterable>(pairs))
    throw py::type_error("keyring: a dict {provider: WatermarkKey} or (provider, WatermarkKey) pairs, got " +
                         type_name(keyring));
  for (const py::handle pair : pairs) {
    if (!py::isinstance<py::sequence>(pair) || py::isinstance<py::str>(pair) || py::len(pair) != 2)
      throw py::type_error("keyring entries are (provider, WatermarkKey) pairs, got " + type_name(pair));
    const auto sequence = py::reinterpret_borrow<py::sequence>(pair);
    entries.push_back({cast_argument<std::string>(sequence[0], "keyring provider", "a str"),
                       cast_argument<WatermarkKey>(sequence[1], "keyring key", "a WatermarkKey")});
  }
  return entries;
}

py::object verify_report_to_python(const VerifyReport& report) {
  py::tuple labels(report.aigc_labels.size());
  for (std::size_t i = 0; i < report.aigc_labels.size(); ++i) labels[i] = to_python(report.aigc_labels[i]);
  py::tuple contradictions(report.contradictions.size());
  for (std::size_t i = 0; i < report.contradictions.size(); ++i) {
    contradictions[i] = types().contradiction("code"_a = to_text(report.contradictions[i].code),
                                              "explanation"_a = to_text(report.contradictions[i].explanation));
  }
  py::object watermark = py::none();
  if (report.watermark) {
    watermark = types().watermark_evidence("provider"_a = to_text(report.watermark->provider),
                                           "payload"_a = report.watermark->payload,
                                           "false_alarm_probability"_a = report.watermark->false_alarm_probability,
                                           "detection"_a = report.watermark->audio_detection ? to_python(*report.watermark->audio_detection)
                                                                             : to_python(report.watermark->detection));
  }
  return types().verify_report(
      "verdict"_a = types().verdict(verdict_name(report.verdict)), "summary"_a = to_text(report.summary),
      "format"_a = to_text(report.format), "manifest"_a = to_python(report.manifest),
      "manifest_declares_ai"_a = report.manifest_declares_ai,
      "recovered_manifest"_a = report.recovered_manifest ? to_python(*report.recovered_manifest) : py::none(),
      "aigc_labels"_a = labels, "watermark"_a = watermark, "contradictions"_a = contradictions,
      "_json"_a = to_text(report.to_json()));
}

constexpr const char* label_options_doc =
    "Options (keyword arguments, the fields of C++ LabelOptions; a step whose input is missing is skipped):\n"
    "  visible_label: True (defaults), False (none) or a VisibleLabelOptions (images);\n"
    "  audible_label: True (defaults), False (none) or an AudibleLabelOptions (audio: the cue, \"AI\" in Morse\n"
    "    before the content, re-encoded in the source's codec and bit rate);\n"
    "  aigc_label: True (an AigcLabel with defaults), False (none) or an AigcLabel; its ContentProducer must be\n"
    "    set, ProduceID empty takes content_id; aigc_copy_to_propagator fills empty propagation elements from\n"
    "    the producer's;\n"
    "  watermark_key: a WatermarkKey (no watermark without it), strength as in embed();\n"
    "  signer: a Signer (no manifest without it), provider (SB 942 (A)), system_name and system_version\n"
    "    (claim_generator_info), source_type: a DigitalSourceType;\n"
    "  store: a ManifestStore keeping the signed manifest under the watermark payload (needs a signer);\n"
    "  jpeg_quality: 0 is the input's (90 for pixels); limits: Limits or None.\n"
    "The key, signer and store are kept alive for the call; the GIL is released while it works.\n"
    "Raises InvalidArgumentError for bad options (an AIGC label breaking Annex E, a store without a signer, ...),\n"
    "UnsupportedFormatError, MalformedInputError, LimitExceededError, CryptoError, IoError.";

}  // namespace

void bind_pipeline(py::module_& m) {
  static const std::string label_doc =
      std::string(
          "Labels AI-generated content in one call: the visible label drawn into the pixels, the GB 45438\n"
          "AIGC metadata label, the watermark, then a signed C2PA manifest (last, so that it binds\n"
          "everything else). `asset` is JPEG or PNG bytes (any bytes-like object; the container, its other\n"
          "metadata and the JPEG subsampling are kept), audio file bytes (WAV, MP3, M4A, FLAC, Ogg: the\n"
          "audible cue, the AIGC tag, the watermark and, except for FLAC/Ogg, the manifest), pixels (a uint8\n"
          "numpy array HxW[x1|3|4] or a PIL image, never changed) to encode as `format`, an ImageFormat, or PCM (a float32\n"
          "numpy array (frames, channels) or (frames,), never changed) at `sample_rate` to encode as `format`, an\n"
          "AudioFileFormat other than SAME_AS_SOURCE (16-bit WAV; 96 kb/s per channel for lossy codecs).\n"
          "Returns a LabelResult.\n") +
      label_options_doc;
  static const std::string label_file_doc =
      std::string(
          "label() from file to file; the destination is written atomically (nothing is left on failure).\n"
          "Returns the LabelResult (its bytes are the file written).\n") +
      label_options_doc;
  const LabelOptions label_defaults;
  const PropagateOptions propagate_defaults;
  const auto label_arguments = std::make_tuple(
      "visible_label"_a = true, "audible_label"_a = true, "aigc_label"_a = true,
      "aigc_copy_to_propagator"_a = label_defaults.aigc_copy_to_propagator, "watermark_key"_a = py::none(),
      "strength"_a = label_defaults.watermark.strength, "signer"_a = py::none(), "provider"_a = label_defaults.provider,
      "system_name"_a = label_defaults.system_name, "system_version"_a = label_defaults.system_version,
      "source_type"_a = std::string(digital_source_type_uri(label_defaults.source_type)), "store"_a = py::none(),
      "jpeg_quality"_a = label_defaults.jpeg_quality, "limits"_a = py::none());

  std::apply(
      [&](const auto&... arguments) {
        m.def(
            "label",
            [](const py::handle& asset, const py::handle& format, const py::handle& sample_rate,
               const py::handle& visible_label, const py::handle& audible_label, const py::handle& aigc_label,
               bool aigc_copy_to_propagator, const py::handle& watermark_key, float strength, const py::handle& signer,
               std::string provider, std::string system_name, std::string system_version,
               const std::string& source_type, const py::handle& store, int jpeg_quality, const Limits& limits) {
              const LabelCall call(visible_label, audible_label, aigc_label, aigc_copy_to_propagator, watermark_key,
                                   strength, signer, std::move(provider), std::move(system_name),
                                   std::move(system_version), source_type, store, jpeg_quality, limits);
              LabelResult result;
              // What the asset is follows from its type alone: float32 arrays are PCM, other arrays of two or
              // more dimensions and PIL images are pixels, anything else is an encoded file's bytes.
              const bool is_array = py::isinstance<py::array>(asset);
              const bool pcm = is_array && py::isinstance<py::array_t<float>>(asset);
              const bool pixels =
                  !pcm && (is_pil_image(asset) || (is_array && py::reinterpret_borrow<py::array>(asset).ndim() >= 2));
              if (!pcm && !sample_rate.is_none())
                throw py::type_error("sample_rate is for PCM, a float32 numpy array; got " + type_name(asset) +
                                     (is_array ? " of " + std::string(py::str(asset.attr("dtype"))) : std::string()));
              if (pcm) {
                if (sample_rate.is_none() || format.is_none())
                  throw Error(Errc::invalid_argument,
                              "a float32 array is PCM: labelling it needs sample_rate= and a format (an "
                              "AudioFileFormat); pixels are uint8 arrays");
                const int rate = cast_argument<int>(sample_rate, "sample_rate", "an int");
                const AudioFileFormat audio_format = audio_file_format_from(format);
                py::array array = pcm_array(asset);
                const AudioView view = readable_audio_view(array, rate);
                py::gil_scoped_release release;
                result = label(view, audio_format, call.options);
              } else if (pixels) {
                if (format.is_none())
                  throw Error(Errc::invalid_argument, "labelling pixels needs a format (ImageFormat.JPEG or PNG)");
                const ImageFormat image_format =
                    image_format_from(cast_argument<std::string>(format, "format", "an ImageFormat"));
                py::array array = pixel_array(asset);
                const ImageView view = readable_view(array);
                py::gil_scoped_release release;
                result = label(view, image_format, call.options);
              } else {
                if (!format.is_none())
                  throw Error(Errc::invalid_argument, "encoded bytes keep their own format: pass no format");
                const BytesIn in(asset);
                py::gil_scoped_release release;
                result = label(in.span(), call.options);
              }
              return label_result_to_python(result);
            },
            "asset"_a, py::kw_only(), "format"_a = py::none(), "sample_rate"_a = py::none(), arguments...,
            label_doc.c_str());
        m.def(
            "label_file",
            [](const std::filesystem::path& source, const std::filesystem::path& destination,
               const py::handle& visible_label, const py::handle& audible_label, const py::handle& aigc_label,
               bool aigc_copy_to_propagator, const py::handle& watermark_key, float strength, const py::handle& signer,
               std::string provider, std::string system_name, std::string system_version,
               const std::string& source_type, const py::handle& store, int jpeg_quality, const Limits& limits) {
              const LabelCall call(visible_label, audible_label, aigc_label, aigc_copy_to_propagator, watermark_key,
                                   strength, signer, std::move(provider), std::move(system_name),
                                   std::move(system_version), source_type, store, jpeg_quality, limits);
              LabelResult result;
              {
                py::gil_scoped_release release;
                result = label_file(source, destination, call.options);
              }
              return label_result_to_python(result);
            },
            "source"_a, "destination"_a, py::kw_only(), arguments..., label_file_doc.c_str());
      },
      label_arguments);

  m.def(
      "propagate",
      [](const py::handle& asset, std::string propagator, std::string propagate_id, std::string reserved_code2,
         std::string label_value, const py::handle& signer, std::string provider, std::string system_name,
         std::string system_version, const Limits& limits) {
        PropagateOptions options;
        options.propagator = std::move(propagator);
        options.propagate_id = std::move(propagate_id);
        options.reserved_code2 = std::move(reserved_code2);
        options.label_value = std::move(label_value);
        std::optional<Signer> signer_copy;
        if (!signer.is_none()) {
          signer_copy.emplace(cast_argument<Signer>(signer, "signer", "a Signer or None"));
          options.signer = &*signer_copy;
        }
        options.provider = std::move(provider);
        options.system_name = std::move(system_name);
        options.system_version = std::move(system_version);
        options.limits = limits;
        const BytesIn in(asset);
        PropagateResult result;
        {
          py::gil_scoped_release release;
          result = propagate(in.span(), options);
        }
        return types().propagate_result("bytes"_a = to_bytes(result.bytes), "aigc"_a = to_python(result.aigc),
                                        "manifest_label"_a = to_text(result.manifest_label));
      },
      "asset"_a, py::kw_only(), "propagator"_a, "propagate_id"_a = propagate_defaults.propagate_id,
      "reserved_code2"_a = propagate_defaults.reserved_code2, "label_value"_a = propagate_defaults.label_value,
      "signer"_a = py::none(), "provider"_a = propagate_defaults.provider,
      "system_name"_a = propagate_defaults.system_name, "system_version"_a = propagate_defaults.system_version,
      "limits"_a = py::none(),
      "A platform's propagation step (Measures Art. 6 para. 2) on JPEG or PNG bytes: fills the AIGC label's\n"
      "ContentPropagator (propagator, required), PropagateID (propagate_id; \"\" draws a random one) and\n"
      "ReservedCode2; label_value \"1\", \"2\" or \"3\" replaces the Label (\"\" keeps the file's). A signed file\n"
      "gets a new manifest signed by `signer` with the previous one as its parentOf ingredient. Returns a\n"
      "PropagateResult. Raises InvalidArgumentError for a missing propagator, a file without a label and no\n"
      "label_value, or a signed file without a signer; UnsupportedFormatError, MalformedInputError otherwise.");

  m.def(
      "verdict_name", [](int verdict) { return verdict_name(static_cast<Verdict>(verdict)); }, "verdict"_a,
      "The name of a Verdict number (0 confirmed_ai, 1 possibly_ai, 2 suspected_ai, 3 no_evidence).");

  m.def(
      "verify",
      [](const py::handle& asset, const py::handle& keyring, const py::handle& trust_anchors, const py::handle& at,
         const Limits& limits, const py::handle& store, bool user_declared_ai) {
        VerifyOptions options;
        options.inspect = inspect_options(trust_anchors, at, limits);
        options.keyring = keyring_from(keyring);
        std::shared_ptr<ManifestStore> store_share;
        if (!store.is_none()) {
          store_share = cast_argument<const PythonManifestStore&>(store, "store", "a ManifestStore or None").get();
          options.store = store_share.get();
        }
        options.user_declared_ai = user_declared_ai;
        VerifyReport report;
        if (is_path(asset)) {
          const auto path = cast_argument<std::filesystem::path>(asset, "asset", "bytes or a path");
          py::gil_scoped_release release;
          report = verify_file(path, options);
        } else {
          const BytesIn in(asset);
          py::gil_scoped_release release;
          report = verify(in.span(), options);
        }
        return verify_report_to_python(report);
      },
      "asset"_a, py::kw_only(), "keyring"_a = py::tuple(), "trust_anchors"_a = py::none(), "at"_a = py::none(),
      "limits"_a = py::none(), "store"_a = py::none(), "user_declared_ai"_a = false,
      "Verifies an upload (JPEG or PNG bytes, or a path as str or os.PathLike): its C2PA manifest, its AIGC labels\n"
      "and the watermark of each keyring provider, weighed into a Verdict (Measures Art. 6) with every piece of\n"
      "evidence and contradiction (spec/verify-report-v1.md). keyring: {provider: WatermarkKey} or\n"
      "(provider, WatermarkKey) pairs, tried in order; trust_anchors, at, limits: as in inspect(); store: a\n"
      "ManifestStore to recover the manifest of a stripped file through its watermark; user_declared_ai: the\n"
      "uploader said it is AI-generated. Unlabelled, stripped or tampered files are answers (a VerifyReport), not\n"
      "errors; the GIL is released while it works. Raises UnsupportedFormatError, MalformedInputError,\n"
      "LimitExceededError when the file cannot be read at all, IoError for a path.");
}

}  // namespace provmark::python
