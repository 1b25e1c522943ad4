// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the binding sources of the extension module provmark._provmark.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "provmark/aigc.hpp"
#include "provmark/audible_label.hpp"
#include "provmark/audio.hpp"
#include "provmark/audio_codec.hpp"
#include "provmark/image.hpp"
#include "provmark/inspect.hpp"
#include "provmark/limits.hpp"
#include "provmark/manifest.hpp"
#include "provmark/manifest_store.hpp"
#include "provmark/visible_label.hpp"
#include "provmark/audio_watermark.hpp"
#include "provmark/watermark.hpp"

namespace provmark::python {

namespace py = pybind11;

/// The pure-Python classes of provmark._types the extension builds its results from. provmark/__init__.py
/// hands them over once (_provmark._bind_types) right after importing the extension.
struct PythonTypes {
  py::object detect_result, validation_status, soft_binding, manifest_summary, manifest_report;
  py::object ingredient_summary, ingredient_delta;
  py::object image_format, signing_alg, digital_source_type, validation_state, existing_manifests;
  py::object aigc_label, found_aigc_label, label_position, label_language, visible_label_box;
  py::object stored_manifest, label_result, audible_label_placement, propagate_result;
  py::object verdict, watermark_evidence, contradiction, verify_report;
  py::object audio_file_format, audio_tag, audio_source_info, decoded_audio, audible_label_result;
  py::object audio_detect_result;
  py::object pixels_from_pil, pixels_to_pil;  ///< provmark._pil: PIL image <-> uint8 numpy array
  py::dict error_classes;                     ///< int code -> exception class
};
/// @throws std::runtime_error when provmark/__init__.py has not bound them (the extension imported on its own).
const PythonTypes& types();

/// Whether `object` is a PIL.Image.Image (without importing PIL: one that was never imported made none).
[[nodiscard]] bool is_pil_image(const py::handle& object);

/// A read-only, C-contiguous view of any object with the buffer protocol (bytes, bytearray, memoryview,
/// numpy arrays), held for the lifetime of this object: the exporter cannot resize it meanwhile, so the
/// bytes stay valid while the GIL is released. Construct and destroy with the GIL held.
class BytesIn {
 public:
  explicit BytesIn(const py::handle& object);
  BytesIn(const BytesIn&) = delete;
  BytesIn& operator=(const BytesIn&) = delete;
  ~BytesIn() { PyBuffer_Release(&view_); }
  [[nodiscard]] std::span<const std::uint8_t> span() const noexcept {
    return {static_cast<const std::uint8_t*>(view_.buf), static_cast<std::size_t>(view_.len)};
  }

 private:
  Py_buffer view_{};
};

/// Text from C++ that may not be UTF-8 (strings of untrusted manifests, paths in messages): bad bytes become
/// U+FFFD, as in ManifestReport::to_json(), instead of a UnicodeDecodeError.
[[nodiscard]] py::str to_text(std::string_view text);
[[nodiscard]] py::bytes to_bytes(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::vector<std::uint8_t> to_vector(const py::handle& object);
/// Whether `object` names a file (str or os.PathLike) rather than holding bytes.
[[nodiscard]] bool is_path(const py::handle& object);

/// `value` as a T, or a TypeError naming the argument (pybind11's own cast error is a RuntimeError without names).
template <typename T>
[[nodiscard]] T cast_argument(const py::handle& value, const std::string& name, const std::string& expected) {
  try {
    return value.cast<T>();
  } catch (const py::cast_error&) {
    throw py::type_error(name + ": expected " + expected + ", got " +
                         std::string(py::str(py::type::handle_of(value).attr("__name__"))));
  }
}

/// A timezone-aware datetime (UTC), to the microsecond.
[[nodiscard]] py::object to_datetime(std::chrono::system_clock::time_point when);
/// A datetime (naive ones are local time, as datetime.timestamp() has it); None is now.
[[nodiscard]] std::chrono::system_clock::time_point time_point_of(const py::handle& when);

/// A provmark.DigitalSourceType (or its IPTC URI). @throws Error(invalid_argument) for another value.
[[nodiscard]] DigitalSourceType digital_source_type_from(const std::string& uri);
/// trust_anchors: PEM text (str or bytes) or None; at: a datetime or None (now).
[[nodiscard]] InspectOptions inspect_options(const py::handle& trust_anchors, const py::handle& at,
                                             const Limits& limits);

[[nodiscard]] py::object to_python(const DetectResult& result);
[[nodiscard]] py::object to_python(const AudioDetectResult& result);
[[nodiscard]] py::object to_python(const ManifestReport& report);
[[nodiscard]] py::object to_python(const AigcLabel& label);
[[nodiscard]] py::object to_python(const FoundAigcLabel& found);
[[nodiscard]] py::object to_python(const VisibleLabelBox& box);
/// The C++ options of a provmark.VisibleLabelOptions (or any object with its attributes).
[[nodiscard]] VisibleLabelOptions visible_label_options(const py::handle& options);

/// Pixels as numpy arrays: uint8, shaped HxW or HxWx1 (gray8), HxWx3 (rgb8) or HxWx4 (rgba8).
/// PIL images (converted by provmark._pil) and anything numpy.asarray takes are accepted. @throws TypeError for another
/// dtype, provmark.InvalidArgumentError for another shape.
[[nodiscard]] py::array pixel_array(const py::handle& image);
/// A view of `array`'s own memory when its rows are packed pixels (any row stride), else of a C-contiguous copy
/// that replaces `array` (so the caller keeps whichever is viewed alive).
[[nodiscard]] ImageView readable_view(py::array& array);
/// A view of the caller's writable numpy array, which must have rows of packed pixels (never a copy). Errors name
/// `function` and suggest `instead`.
[[nodiscard]] MutableImageView writable_view(const py::handle& image, const std::string& function,
                                             const std::string& instead);
/// A writable C-contiguous copy of `image`'s pixels (anything pixel_array() takes).
[[nodiscard]] py::array writable_copy(const py::handle& image);

/// PCM as numpy arrays: float32 (native byte order), shaped (frames, channels) or (frames,) for mono, interleaved.
/// Anything numpy.asarray takes is accepted. @throws TypeError for another dtype, provmark.InvalidArgumentError for
/// another shape.
[[nodiscard]] py::array pcm_array(const py::handle& samples);
/// A view of `array`'s own memory when it is C-contiguous, else of a C-contiguous copy that replaces `array` (so the
/// caller keeps whichever is viewed alive). The library checks the rate and channel count.
[[nodiscard]] AudioView readable_audio_view(py::array& array, int sample_rate);
/// A view of the caller's writable, C-contiguous float32 numpy array (never a copy). Errors name `function` and
/// suggest `instead`.
[[nodiscard]] MutableAudioView writable_audio_view(const py::handle& samples, int sample_rate,
                                                   const std::string& function, const std::string& instead);
/// The C++ options of a provmark.AudibleLabelOptions (or any object with its attributes); `clip_array` keeps the
/// clip's samples that the options view.
[[nodiscard]] AudibleLabelOptions audible_label_options(const py::handle& options, py::array& clip_array);
/// A provmark.AudioFileFormat (or its value). @throws Error(invalid_argument) for another value.
[[nodiscard]] AudioFileFormat audio_file_format_from(const py::handle& format);

/// The Python ManifestStore: a C++ store that close() lets go of. Calls copy the shared pointer before they
/// release the GIL, so a store closed meanwhile (or garbage-collected) lives until they return.
struct PythonManifestStore {
  std::shared_ptr<ManifestStore> store;
  std::filesystem::path path;
  /// @throws Error(invalid_argument) once closed.
  [[nodiscard]] std::shared_ptr<ManifestStore> get() const;
};

void bind_images(py::module_& m);
void bind_watermark(py::module_& m);
void bind_c2pa(py::module_& m);
void bind_labels(py::module_& m);
void bind_store(py::module_& m);
void bind_pipeline(py::module_& m);
void bind_audio(py::module_& m);

}  // namespace provmark::python

namespace pybind11::detail {

/// provmark.Limits (or any object with max_pixels and max_file_bytes, and optionally max_audio_samples) or None
/// for the defaults.
template <>
struct type_caster<provmark::Limits> {
  PYBIND11_TYPE_CASTER(provmark::Limits, const_name("provmark.Limits | None"));
  bool load(handle source, bool /*convert*/) {
    if (source.is_none()) {
      value = {};
      return true;
    }
    if (!hasattr(source, "max_pixels") || !hasattr(source, "max_file_bytes")) return false;
    value.max_pixels = source.attr("max_pixels").cast<std::uint64_t>();
    value.max_file_bytes = source.attr("max_file_bytes").cast<std::size_t>();
    // Added with the audio API: objects made for older versions lack it and keep the default.
    if (hasattr(source, "max_audio_samples"))
      value.max_audio_samples = source.attr("max_audio_samples").cast<std::uint64_t>();
    return true;
  }
};

/// provmark.AigcLabel (or any object with its seven str attributes).
template <>
struct type_caster<provmark::AigcLabel> {
  PYBIND11_TYPE_CASTER(provmark::AigcLabel, const_name("provmark.AigcLabel"));
  bool load(handle source, bool /*convert*/) {
    const std::pair<const char*, std::string provmark::AigcLabel::*> fields[] = {
        {"label", &provmark::AigcLabel::label},
        {"content_producer", &provmark::AigcLabel::content_producer},
        {"produce_id", &provmark::AigcLabel::produce_id},
        {"reserved_code1", &provmark::AigcLabel::reserved_code1},
        {"content_propagator", &provmark::AigcLabel::content_propagator},
        {"propagate_id", &provmark::AigcLabel::propagate_id},
        {"reserved_code2", &provmark::AigcLabel::reserved_code2}};
    for (const auto& [attribute, field] : fields) {
      if (!hasattr(source, attribute)) return false;
      const object element = source.attr(attribute);
      if (!isinstance<str>(element)) return false;
      value.*field = element.cast<std::string>();
    }
    return true;
  }
};

}  // namespace pybind11::detail
