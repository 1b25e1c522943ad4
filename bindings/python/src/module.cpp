// SPDX-License-Identifier: Apache-2.0
// The extension module provmark._provmark. Users import `provmark`, whose __init__.py re-exports this module's
// classes and functions next to pure-Python dataclasses, enums and exceptions (provmark/_types.py).
#include <pybind11/pybind11.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "native.hpp"
#include "provmark/error.hpp"
#include "provmark/limits.hpp"
#include "provmark/version.hpp"

namespace provmark::python {

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
  bound->image_format = types_module.attr("ImageFormat");
  bound->signing_alg = types_module.attr("SigningAlg");
  bound->digital_source_type = types_module.attr("DigitalSourceType");
  bound->validation_state = types_module.attr("ValidationState");
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

}  // namespace provmark::python

PYBIND11_MODULE(_provmark, m) {
  namespace py = pybind11;
  using namespace provmark::python;
  m.doc() = "The compiled part of provmark. Import `provmark` instead; it re-exports everything public here.";
  m.attr("__version__") = PROVMARK_VERSION_STRING;
  m.attr("DEFAULT_MAX_PIXELS") = provmark::Limits{}.max_pixels;
  m.attr("DEFAULT_MAX_FILE_BYTES") = provmark::Limits{}.max_file_bytes;

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
}
