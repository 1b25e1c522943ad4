// SPDX-License-Identifier: Apache-2.0
// WatermarkKey, Payload and embed / detect on arrays, PIL images, encoded bytes and files.
#include "provmark/watermark.hpp"

#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <string>
#include <utility>

#include "native.hpp"
#include "provmark/error.hpp"

namespace provmark::python {

namespace {

using namespace pybind11::literals;

std::uint64_t u64_of(const py::int_& value) {
  const unsigned long long result = PyLong_AsUnsignedLongLong(value.ptr());
  if (PyErr_Occurred() != nullptr) {
    PyErr_Clear();
    throw Error(Errc::invalid_argument, "a payload is an integer with 0 <= value < 2**64");
  }
  return result;
}

FileEmbedOptions file_embed_options(float strength, int jpeg_quality, const Limits& limits) {
  return {.embed = {.strength = strength}, .jpeg_quality = jpeg_quality, .limits = limits};
}

void bind_key(py::module_& m) {
  py::class_<WatermarkKey> key(m, "WatermarkKey",
                               "A secret 32-byte watermark key: without it nobody can detect, read or forge the mark.\n"
                               "Immutable; compared in constant time; its bytes never appear in repr() or messages\n"
                               "(the fingerprint does). Not picklable, so that it is not copied anywhere by accident.");
  key.attr("size") = WatermarkKey::size;
  key.def_static("generate", &WatermarkKey::generate, "A fresh key from libsodium's random number generator.")
      .def_static(
          "from_bytes", [](const py::handle& data) { return WatermarkKey::from_bytes(BytesIn(data).span()); }, "data"_a,
          "The key made of exactly 32 bytes. Raises BadKeyError otherwise.")
      .def_static(
          "parse", [](const py::handle& contents) { return WatermarkKey::parse(BytesIn(contents).span()); },
          "contents"_a, "Parses a key file's contents (the text form, or 32 raw bytes). Raises BadKeyError.")
      .def_static(
          "load",
          [](const std::filesystem::path& path) {
            py::gil_scoped_release release;
            return WatermarkKey::load(path);
          },
          "path"_a, "Reads a key file. Raises IoError or BadKeyError.")
      .def(
          "save",
          [](const WatermarkKey& self, const std::filesystem::path& path) {
            py::gil_scoped_release release;
            self.save(path);
          },
          "path"_a, "Writes the key file (text form) atomically with mode 0600. Raises IoError.")
      .def_property_readonly("fingerprint", &WatermarkKey::fingerprint,
                             "A public 8-hex-digit identifier of the key, safe to log.")
      .def(
          "to_bytes", [](const WatermarkKey& self) { return to_bytes(self.bytes()); },
          "The 32 secret bytes. A Python bytes object cannot be wiped: prefer save() and load().")
      .def(
          "__eq__", [](const WatermarkKey& self, const WatermarkKey& other) { return self == other; },
          py::is_operator(), "Constant-time comparison.")
      .def("__repr__",
           [](const WatermarkKey& self) { return "WatermarkKey(fingerprint='" + self.fingerprint() + "')"; });
}

void bind_payload(py::module_& m) {
  py::class_<Payload> payload(m, "Payload",
                              "The 64 data bits a watermark carries. Immutable and hashable; int(p), str(p) (16 hex\n"
                              "digits) and bytes(p) (8 bytes, big-endian) convert it.");
  payload.attr("size") = Payload::size;
  payload
      .def(py::init([](const py::int_& value) { return Payload::from_u64(u64_of(value)); }), "value"_a,
           "The payload of an integer with 0 <= value < 2**64. Raises InvalidArgumentError otherwise.")
      .def_static(
          "from_int", [](const py::int_& value) { return Payload::from_u64(u64_of(value)); }, "value"_a,
          "Same as Payload(value).")
      .def_static("from_hex", &Payload::from_hex, "hex"_a,
                  "The payload of 16 hex digits. Raises InvalidArgumentError otherwise.")
      .def_static(
          "from_bytes",
          [](const py::handle& data) {
            const BytesIn in(data);
            if (in.span().size() != Payload::size)
              throw Error(Errc::invalid_argument, "a payload has 8 bytes, got " + std::to_string(in.span().size()));
            Payload result;
            std::copy(in.span().begin(), in.span().end(), result.bytes.begin());
            return result;
          },
          "data"_a, "The payload of exactly 8 bytes (big-endian, as bytes(p) gives them).")
      .def("to_hex", &Payload::to_hex, "16 lowercase hex digits.")
      .def("to_int", &Payload::to_u64, "The payload as an integer.")
      .def("__int__", &Payload::to_u64)
      .def("__bytes__", [](const Payload& self) { return to_bytes(self.bytes); })
      .def("__str__", &Payload::to_hex)
      .def("__repr__", [](const Payload& self) { return "Payload(0x" + self.to_hex() + ")"; })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__hash__", [](const Payload& self) { return py::hash(py::int_(self.to_u64())); })
      .def(py::pickle([](const Payload& self) { return py::make_tuple(self.to_u64()); },
                      [](const py::tuple& state) { return Payload::from_u64(state[0].cast<std::uint64_t>()); }));
}

}  // namespace

py::object to_python(const DetectResult& result) {
  return types().detect_result(
      "found"_a = result.found, "payload"_a = result.found ? py::cast(result.payload) : py::none(),
      "corrected_bits"_a = result.corrected_bits, "coded_bits"_a = result.coded_bits,
      "false_alarm_probability"_a = result.false_alarm_probability, "scale_x"_a = result.scale_x,
      "scale_y"_a = result.scale_y, "rotation_deg"_a = result.rotation_deg, "mirrored"_a = result.mirrored);
}

void bind_watermark(py::module_& m) {
  bind_key(m);
  bind_payload(m);
  m.attr("DEFAULT_MAX_FALSE_ALARM") = DetectOptions{}.max_false_alarm;

  m.def(
      "embed_into",
      [](const py::handle& image, const Payload& payload, const WatermarkKey& key, float strength) {
        const MutableImageView view = writable_view(image, "embed_into", "use embed(), which copies");
        py::gil_scoped_release release;
        embed_into(view, payload, key, {.strength = strength});
      },
      "image"_a, "payload"_a, "key"_a, py::kw_only(), "strength"_a = EmbedOptions{}.strength,
      "Embeds the watermark into a writable uint8 numpy array in place (HxW, HxWx1, HxWx3 or HxWx4; alpha is\n"
      "untouched), without copying it: a C-contiguous array or any crop of one (rows of packed pixels).\n"
      "strength scales the amplitude (1.0 gives ~43 dB PSNR on photos), 0 < strength <= 4.\n"
      "Raises TypeError for a non-array or non-uint8 pixels, InvalidArgumentError for a read-only array, other\n"
      "strides, an image smaller than 64x64 or a bad strength.");

  m.def(
      "embed",
      [](const py::handle& image, const Payload& payload, const WatermarkKey& key, float strength) -> py::object {
        const bool pil = is_pil_image(image);
        const py::array marked = writable_copy(image);
        const MutableImageView view = writable_view(marked, "embed", "");
        {
          py::gil_scoped_release release;
          embed_into(view, payload, key, {.strength = strength});
        }
        return pil ? types().pixels_to_pil(marked) : py::object(marked);
      },
      "image"_a, "payload"_a, "key"_a, py::kw_only(), "strength"_a = EmbedOptions{}.strength,
      "A watermarked copy of `image`: a new C-contiguous numpy array of the same shape, or a PIL image when given\n"
      "one (modes other than L, RGB and RGBA come back as RGB, or RGBA when they have alpha). Any uint8 array\n"
      "layout is accepted. Raises like embed_into().");

  m.def(
      "detect",
      [](const py::handle& image, const WatermarkKey& key, double max_false_alarm) {
        py::array array = pixel_array(image);
        const ImageView view = readable_view(array);
        DetectResult result;
        {
          py::gil_scoped_release release;
          result = detect(view, key, {.max_false_alarm = max_false_alarm});
        }
        return to_python(result);
      },
      "image"_a, "key"_a, py::kw_only(), "max_false_alarm"_a = DetectOptions{}.max_false_alarm,
      "Looks for the watermark of `key` in uint8 pixels (numpy array HxW[x1|3|4] or PIL image); blind: the\n"
      "original is not needed. Arrays with rows of packed pixels (C-contiguous or crops) are read in place; other\n"
      "strides are copied first. A watermark is reported only when its false-alarm probability is below\n"
      "max_false_alarm. The GIL is released while it works. Returns a DetectResult (found=False is an answer).");

  m.def(
      "detect_any",
      [](const py::handle& image, const std::vector<WatermarkKey>& keys, double max_false_alarm) {
        py::array array = pixel_array(image);
        const ImageView view = readable_view(array);
        KeyringDetectResult result;
        {
          py::gil_scoped_release release;
          result = detect_any(view, keys, {.max_false_alarm = max_false_alarm});
        }
        return py::make_tuple(result.key_index ? py::cast(*result.key_index) : py::none(), to_python(result.result));
      },
      "image"_a, "keys"_a, py::kw_only(), "max_false_alarm"_a = DetectOptions{}.max_false_alarm,
      "detect() with a keyring: looks for the marks of all `keys` at once, sharing the search (each further key\n"
      "costs a fraction of a detection). Returns (index of the key whose mark was found or None, DetectResult).\n"
      "Each key's false-alarm bound is its own: with n keys, unmarked pictures fire at most n times as often.");

  m.def(
      "embed_encoded",
      [](const py::handle& data, const Payload& payload, const WatermarkKey& key, float strength, int jpeg_quality,
         const Limits& limits) {
        const BytesIn in(data);
        std::vector<std::uint8_t> marked;
        {
          py::gil_scoped_release release;
          marked = embed_encoded(in.span(), payload, key, file_embed_options(strength, jpeg_quality, limits));
        }
        return to_bytes(marked);
      },
      "data"_a, "payload"_a, "key"_a, py::kw_only(), "strength"_a = EmbedOptions{}.strength,
      "jpeg_quality"_a = FileEmbedOptions{}.jpeg_quality, "limits"_a = py::none(),
      "Watermarks JPEG or PNG bytes (any bytes-like object), keeping the container, its metadata and (JPEG) the\n"
      "chroma subsampling. jpeg_quality 0 re-encodes at the quality estimated from the input. Returns bytes.\n"
      "Raises MalformedInputError, UnsupportedFormatError, LimitExceededError, InvalidArgumentError.");

  m.def(
      "detect_encoded",
      [](const py::handle& data, const WatermarkKey& key, double max_false_alarm, const Limits& limits) {
        const BytesIn in(data);
        DetectResult result;
        {
          py::gil_scoped_release release;
          result = detect_encoded(in.span(), key, {.max_false_alarm = max_false_alarm}, limits);
        }
        return to_python(result);
      },
      "data"_a, "key"_a, py::kw_only(), "max_false_alarm"_a = DetectOptions{}.max_false_alarm, "limits"_a = py::none(),
      "detect() on JPEG or PNG bytes (JPEGs are decoded at reduced scale: faster, same answer).");

  m.def(
      "embed_file",
      [](const std::filesystem::path& source, const std::filesystem::path& destination, const Payload& payload,
         const WatermarkKey& key, float strength, int jpeg_quality, const Limits& limits) {
        py::gil_scoped_release release;
        embed_file(source, destination, payload, key, file_embed_options(strength, jpeg_quality, limits));
      },
      "source"_a, "destination"_a, "payload"_a, "key"_a, py::kw_only(), "strength"_a = EmbedOptions{}.strength,
      "jpeg_quality"_a = FileEmbedOptions{}.jpeg_quality, "limits"_a = py::none(),
      "embed_encoded() from file to file; the destination is written atomically (nothing is left on failure).\n"
      "Raises IoError too.");

  m.def(
      "detect_file",
      [](const std::filesystem::path& path, const WatermarkKey& key, double max_false_alarm, const Limits& limits) {
        DetectResult result;
        {
          py::gil_scoped_release release;
          result = detect_file(path, key, {.max_false_alarm = max_false_alarm}, limits);
        }
        return to_python(result);
      },
      "path"_a, "key"_a, py::kw_only(), "max_false_alarm"_a = DetectOptions{}.max_false_alarm, "limits"_a = py::none(),
      "detect_encoded() on a JPEG or PNG file. Raises IoError too.");
}

}  // namespace provmark::python
