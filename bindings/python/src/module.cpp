// SPDX-License-Identifier: Apache-2.0
// The extension module provmark._provmark. Users import `provmark`, whose __init__.py re-exports this module's
// classes and functions next to pure-Python dataclasses, enums and exceptions (provmark/_types.py).
#include <pybind11/pybind11.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "native.hpp"
#include "provmark/error.hpp"
#include "provmark/limits.hpp"
#include "provmark/version.hpp"

namespace provmark::python {

using namespace pybind11::literals;

namespace {

// Leaked on purpose: destroying Python objects after the interpreter has finalized would crash at exit.
PythonTypes* bound_types = nullptr;

void bind_types(const py::module_& types_module, const py::module_& pil_module) {
  auto* bound = new PythonTypes{};
  bound->detect_result = types_module.attr("DetectResult");
  bound->validation_status = types_module.attr("ValidationStatus");
  bound->soft_binding = types_module.attr("SoftBinding");
  bound->manifest_summary = types_module.attr("ManifestSummary");
  bound->manifest_report = types_module.attr("ManifestReport");
  bound->ingredient_summary = types_module.attr("IngredientSummary");
  bound->ingredient_delta = types_module.attr("IngredientDelta");
  bound->image_format = types_module.attr("ImageFormat");
  bound->signing_alg = types_module.attr("SigningAlg");
  bound->digital_source_type = types_module.attr("DigitalSourceType");
  bound->validation_state = types_module.attr("ValidationState");
  bound->existing_manifests = types_module.attr("ExistingManifests");
  bound->aigc_label = types_module.attr("AigcLabel");
  bound->found_aigc_label = types_module.attr("FoundAigcLabel");
  bound->label_position = types_module.attr("LabelPosition");
  bound->label_language = types_module.attr("LabelLanguage");
  bound->visible_label_box = types_module.attr("VisibleLabelBox");
  bound->stored_manifest = types_module.attr("StoredManifest");
  bound->label_result = types_module.attr("LabelResult");
  bound->audible_label_placement = types_module.attr("AudibleLabelPlacement");
  bound->propagate_result = types_module.attr("PropagateResult");
  bound->verdict = types_module.attr("Verdict");
  bound->watermark_evidence = types_module.attr("WatermarkEvidence");
  bound->contradiction = types_module.attr("Contradiction");
  bound->verify_report = types_module.attr("VerifyReport");
  bound->audio_file_format = types_module.attr("AudioFileFormat");
  bound->audio_tag = types_module.attr("AudioTag");
  bound->audio_source_info = types_module.attr("AudioSourceInfo");
  bound->decoded_audio = types_module.attr("DecodedAudio");
  bound->audible_label_result = types_module.attr("AudibleLabelResult");
  bound->audio_detect_result = types_module.attr("AudioDetectResult");
  bound->pixels_from_pil = pil_module.attr("pixels_from_pil");
  bound->pixels_to_pil = pil_module.attr("pixels_to_pil");
  bound->error_classes = types_module.attr("ERROR_CLASSES");
  bound_types = bound;
}

// provmark::Error -> the provmark.Error subclass of its code, with the message without the "code: " prefix
// that what() starts with (the class already names the code).
void translate_error(const Error& error) {
  const char* name = errc_name(error.code());
  std::string message = error.what();
  const std::string prefix = std::string(name) + ": ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  py::object cls;
  if (bound_types != nullptr) {
    const py::int_ code(static_cast<int>(error.code()));
    cls = bound_types->error_classes.contains(code)
              ? bound_types->error_classes[code]
              : bound_types->error_classes[py::int_(static_cast<int>(Errc::internal))];
  } else {
    cls = py::reinterpret_borrow<py::object>(PyExc_RuntimeError);
    message = std::string(name) + ": " + message;
  }
  PyErr_SetObject(cls.ptr(), to_text(message).ptr());
}

}  // namespace

const PythonTypes& types() {
  if (bound_types == nullptr) throw std::runtime_error("import provmark, not provmark._provmark on its own");
  return *bound_types;
}

bool is_pil_image(const py::handle& object) {
  const py::dict modules = py::module_::import("sys").attr("modules");
  if (!modules.contains("PIL.Image")) return false;
  return py::isinstance(object, modules["PIL.Image"].attr("Image"));
}

BytesIn::BytesIn(const py::handle& object) {
  // PyBUF_SIMPLE: one contiguous run of bytes, whatever the exporter's item type; a str is refused.
  if (PyObject_GetBuffer(object.ptr(), &view_, PyBUF_SIMPLE) != 0) throw py::error_already_set();
}

py::str to_text(std::string_view text) {
  return py::reinterpret_steal<py::str>(
      PyUnicode_DecodeUTF8(text.data(), static_cast<py::ssize_t>(text.size()), "replace"));
}

py::bytes to_bytes(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::vector<std::uint8_t> to_vector(const py::handle& object) {
  const BytesIn in(object);
  return {in.span().begin(), in.span().end()};
}

bool is_path(const py::handle& object) {
  return py::isinstance<py::str>(object) || py::hasattr(object, "__fspath__");
}

py::object to_datetime(std::chrono::system_clock::time_point when) {
  // epoch + timedelta rather than fromtimestamp(): exact to the microsecond and fine before 1970.
  const py::module_ datetime = py::module_::import("datetime");
  const py::object utc = datetime.attr("timezone").attr("utc");
  const auto microseconds = std::chrono::floor<std::chrono::microseconds>(when.time_since_epoch()).count();
  return datetime.attr("datetime")(1970, 1, 1, "tzinfo"_a = utc) +
         datetime.attr("timedelta")("microseconds"_a = microseconds);
}

std::chrono::system_clock::time_point time_point_of(const py::handle& when) {
  if (when.is_none()) return std::chrono::system_clock::now();
  const py::module_ datetime = py::module_::import("datetime");
  if (!py::isinstance(when, datetime.attr("datetime")))
    throw py::type_error("expected a datetime.datetime, got " +
                         std::string(py::str(py::type::handle_of(when).attr("__name__"))));
  // A naive datetime is local time, as datetime.timestamp() has it; integer microseconds keep it exact.
  const py::object aware =
      when.attr("tzinfo").is_none() ? when.attr("astimezone")() : py::reinterpret_borrow<py::object>(when);
  const py::object epoch = datetime.attr("datetime")(1970, 1, 1, "tzinfo"_a = datetime.attr("timezone").attr("utc"));
  const auto count = (aware - epoch).attr("__floordiv__")(datetime.attr("timedelta")("microseconds"_a = 1))
                         .cast<std::int64_t>();
  // system_clock counts nanoseconds in 64 bits: about the years 1678 to 2262.
  constexpr auto limit = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::duration::max()).count();
  if (count >= limit || count <= -limit)
    throw Error(Errc::invalid_argument, "the datetime is outside the years 1678..2262 provmark can represent");
  return std::chrono::system_clock::time_point(std::chrono::microseconds(count));
}

}  // namespace provmark::python

PYBIND11_MODULE(_provmark, m) {
  namespace py = pybind11;
  using namespace provmark::python;
  m.doc() = "The compiled part of provmark. Import `provmark` instead; it re-exports everything public here.";
  m.attr("__version__") = PROVMARK_VERSION_STRING;
  m.attr("DEFAULT_MAX_PIXELS") = provmark::Limits{}.max_pixels;
  m.attr("DEFAULT_MAX_FILE_BYTES") = provmark::Limits{}.max_file_bytes;
  m.attr("DEFAULT_MAX_AUDIO_SAMPLES") = provmark::Limits{}.max_audio_samples;

  py::register_local_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const provmark::Error& error) {
      translate_error(error);
    }
  });
  m.def("_bind_types", &bind_types, py::arg("types_module"), py::arg("pil_module"),
        "Called once by provmark/__init__.py: the Python classes results and errors are made of.");
  m.def(
      "errc_name", [](int code) { return provmark::errc_name(static_cast<provmark::Errc>(code)); }, py::arg("code"),
      "The stable snake_case name of an error code number (\"malformed_input\"), \"unknown\" for others.");

  bind_images(m);
  bind_watermark(m);
  bind_c2pa(m);
  bind_labels(m);
  bind_store(m);
  bind_pipeline(m);
  bind_audio(m);
}
