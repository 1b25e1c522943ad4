// SPDX-License-Identifier: Apache-2.0
// The GB 45438 labels: the AIGC metadata label (AigcLabel, read / write / parse) and the visible label drawn
// into numpy arrays and PIL images.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "native.hpp"
#include "provmark/aigc.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/visible_label.hpp"

namespace provmark::python {

namespace {

using namespace pybind11::literals;

constexpr std::pair<LabelPosition, const char*> position_names[] = {
    {LabelPosition::top_left, "top_left"},       {LabelPosition::top_right, "top_right"},
    {LabelPosition::bottom_left, "bottom_left"}, {LabelPosition::bottom_right, "bottom_right"},
    {LabelPosition::top, "top"},                 {LabelPosition::bottom, "bottom"}};
constexpr std::pair<LabelLanguage, const char*> language_names[] = {
    {LabelLanguage::chinese, "chinese"}, {LabelLanguage::english, "english"}, {LabelLanguage::bilingual, "bilingual"}};

template <typename Enum, std::size_t n>
Enum enum_from(const std::pair<Enum, const char*> (&names)[n], const std::string& name, const char* what) {
  for (const auto& [value, value_name] : names)
    if (name == value_name) return value;
  throw Error(Errc::invalid_argument, std::string("unknown ") + what + " '" + name + "'");
}

template <typename Enum, std::size_t n>
const char* enum_name(const std::pair<Enum, const char*> (&names)[n], Enum value) {
  for (const auto& [known, name] : names)
    if (value == known) return name;
  throw Error(Errc::internal, "unnamed enum value");
}

std::array<std::uint8_t, 3> rgb_from(const py::handle& colour, const char* what) {
  const py::sequence sequence = py::reinterpret_borrow<py::sequence>(colour);
  if (!py::isinstance<py::sequence>(colour) || py::isinstance<py::str>(colour) || py::len(sequence) != 3)
    throw Error(Errc::invalid_argument, std::string(what) + " must be three integers (red, green, blue)");
  std::array<std::uint8_t, 3> rgb{};
  for (std::size_t i = 0; i < 3; ++i) {
    const py::object item = sequence[i];
    if (!py::isinstance<py::int_>(item)) throw py::type_error(std::string(what) + " must be three integers");
    int overflow = 0;
    const long value = PyLong_AsLongAndOverflow(item.ptr(), &overflow);
    if (overflow != 0 || value < 0 || value > 255)
      throw Error(Errc::invalid_argument, std::string(what) + " values are 0..255");
    rgb[i] = static_cast<std::uint8_t>(value);
  }
  return rgb;
}

py::tuple rgb_to_python(const std::array<std::uint8_t, 3>& rgb) { return py::make_tuple(rgb[0], rgb[1], rgb[2]); }

VisibleLabelOptions visible_options(const std::string& text, const std::string& language, const std::string& position,
                                    double text_height, double margin, const py::handle& text_rgb,
                                    const py::handle& plate_rgb, double plate_opacity, const py::handle& font) {
  VisibleLabelOptions options;
  options.text = text;
  options.language = enum_from(language_names, language, "label language");
  options.position = enum_from(position_names, position, "label position");
  options.text_height = text_height;
  options.margin = margin;
  options.text_rgb = rgb_from(text_rgb, "text_rgb");
  options.plate_rgb = rgb_from(plate_rgb, "plate_rgb");
  options.plate_opacity = plate_opacity;
  if (!font.is_none()) options.font = cast_argument<std::filesystem::path>(font, "font", "a path or None");
  return options;
}

py::object box_to_python(const VisibleLabelBox& box) {
  return types().visible_label_box("x"_a = box.x, "y"_a = box.y, "width"_a = box.width, "height"_a = box.height,
                                   "ink_height"_a = box.ink_height);
}

py::tuple problems(const std::vector<std::string>& list) {
  py::tuple result(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) result[i] = to_text(list[i]);
  return result;
}

// Defaults of the C++ option structs, so the Python dataclasses cannot drift from them.
py::dict option_defaults() {
  const AigcLabel aigc;
  const VisibleLabelOptions visible;
  py::dict result;
  result["AigcLabel"] = py::dict("label"_a = aigc.label);
  result["VisibleLabelOptions"] =
      py::dict("text"_a = visible.text, "language"_a = enum_name(language_names, visible.language),
               "position"_a = enum_name(position_names, visible.position), "text_height"_a = visible.text_height,
               "margin"_a = visible.margin, "text_rgb"_a = rgb_to_python(visible.text_rgb),
               "plate_rgb"_a = rgb_to_python(visible.plate_rgb), "plate_opacity"_a = visible.plate_opacity);
  return result;
}

}  // namespace

py::object to_python(const AigcLabel& label) {
  return types().aigc_label("label"_a = to_text(label.label), "content_producer"_a = to_text(label.content_producer),
                            "produce_id"_a = to_text(label.produce_id),
                            "reserved_code1"_a = to_text(label.reserved_code1),
                            "content_propagator"_a = to_text(label.content_propagator),
                            "propagate_id"_a = to_text(label.propagate_id),
                            "reserved_code2"_a = to_text(label.reserved_code2));
}

py::object to_python(const FoundAigcLabel& found) {
  return types().found_aigc_label("label"_a = to_python(found.label), "carrier"_a = to_text(found.carrier),
                                  "problems"_a = problems(found.problems));
}

py::object to_python(const VisibleLabelBox& box) { return box_to_python(box); }

VisibleLabelOptions visible_label_options(const py::handle& options) {
  for (const char* attribute : {"text", "language", "position", "text_height", "margin", "text_rgb", "plate_rgb",
                                "plate_opacity", "font"})
    if (!py::hasattr(options, attribute))
      throw py::type_error("expected a bool or a VisibleLabelOptions, got " +
                           std::string(py::str(py::type::handle_of(options).attr("__name__"))));
  const auto text = [&](const char* name) {
    return cast_argument<std::string>(options.attr(name), std::string("VisibleLabelOptions.") + name, "a str");
  };
  const auto number = [&](const char* name) {
    return cast_argument<double>(options.attr(name), std::string("VisibleLabelOptions.") + name, "a float");
  };
  return visible_options(text("text"), text("language"), text("position"), number("text_height"), number("margin"),
                         options.attr("text_rgb"), options.attr("plate_rgb"), number("plate_opacity"),
                         options.attr("font"));
}

void bind_labels(py::module_& m) {
  m.attr("_DEFAULTS") = option_defaults();
  m.def(
      "_aigc_label_json",
      [](const AigcLabel& label, bool wrapped) { return wrapped ? label.to_wrapped_json() : label.to_json(); },
      "label"_a, "wrapped"_a, "AigcLabel.to_json() and to_wrapped_json().");

  m.def(
      "aigc_label_problems", [](const AigcLabel& label) { return py::list(problems(aigc_label_problems(label))); },
      "label"_a,
      "What breaks GB 45438 Annex E in `label`: a Label other than \"1\", \"2\" or \"3\", an empty ContentProducer\n"
      "or ProduceID, characters outside Annex E j). An empty list when it conforms (write_aigc_label needs that).");

  m.def(
      "parse_aigc_json", [](const std::string& json) { return to_python(parse_aigc_json(json)); }, "json"_a,
      "An AigcLabel from an inner {\"Label\":...} or wrapped {\"AIGC\":{...}} JSON value (str or bytes). Lenient:\n"
      "unknown keys are ignored, missing ones empty. Raises MalformedInputError when it is not a JSON object or an\n"
      "element is not a string, LimitExceededError over 1 MiB.");

  m.def(
      "read_aigc_labels",
      [](const py::handle& asset, const Limits& limits) {
        std::vector<FoundAigcLabel> found;
        if (is_path(asset)) {
          const auto path = cast_argument<std::filesystem::path>(asset, "asset", "bytes or a path");
          py::gil_scoped_release release;
          found = read_aigc_labels(read_file(path, limits), limits);
        } else {
          const BytesIn in(asset);
          py::gil_scoped_release release;
          found = read_aigc_labels(in.span(), limits);
        }
        py::list result;
        for (const FoundAigcLabel& label : found) result.append(to_python(label));
        return result;
      },
      "asset"_a, py::kw_only(), "limits"_a = py::none(),
      "Every AIGC label in a JPEG or PNG file (bytes-like, or a path as str or os.PathLike), in file order, as\n"
      "FoundAigcLabel: the XMP TC260:AIGC property, PNG text chunks with the keyword AIGC and the EXIF\n"
      "UserComment. More than one breaks GB 45438 section 6.1 c). A value that is not AIGC JSON is listed with an\n"
      "empty label and a problem \"unreadable value: ...\". Raises UnsupportedFormatError, MalformedInputError,\n"
      "LimitExceededError, IoError.");

  m.def(
      "write_aigc_label",
      [](const py::handle& asset, const AigcLabel& label, const Limits& limits) {
        const BytesIn in(asset);
        std::vector<std::uint8_t> labelled;
        {
          py::gil_scoped_release release;
          labelled = write_aigc_label(in.span(), label, limits);
        }
        return to_bytes(labelled);
      },
      "asset"_a, "label"_a, py::kw_only(), "limits"_a = py::none(),
      "JPEG or PNG bytes carrying exactly this label, as XMP TC260:AIGC (the file's XMP packet is updated in\n"
      "place or one is added); every other AIGC carrier is removed, everything else kept byte for byte. Changing\n"
      "metadata breaks a C2PA data hash: label before signing. Raises InvalidArgumentError when\n"
      "aigc_label_problems(label) is not empty, UnsupportedFormatError, MalformedInputError, LimitExceededError.");

  const VisibleLabelOptions visible_defaults;
  m.def(
      "draw_visible_label",
      [](const py::handle& image, const std::string& text, const std::string& language, const std::string& position,
         double text_height, double margin, const py::handle& text_rgb, const py::handle& plate_rgb,
         double plate_opacity, const py::handle& font) -> py::object {
        const VisibleLabelOptions options =
            visible_options(text, language, position, text_height, margin, text_rgb, plate_rgb, plate_opacity, font);
        // A PIL image's pixels cannot be written in place: its label goes on a copy.
        const bool pil = is_pil_image(image);
        const py::object target = pil ? py::object(writable_copy(image)) : py::reinterpret_borrow<py::object>(image);
        const MutableImageView view =
            writable_view(target, "draw_visible_label", "pass numpy.array(a), a writable copy");
        VisibleLabelBox box;
        {
          py::gil_scoped_release release;
          box = draw_visible_label(view, options);
        }
        if (pil) return py::make_tuple(types().pixels_to_pil(target), box_to_python(box));
        return box_to_python(box);
      },
      "image"_a, py::kw_only(), "text"_a = visible_defaults.text,
      "language"_a = enum_name(language_names, visible_defaults.language),
      "position"_a = enum_name(position_names, visible_defaults.position),
      "text_height"_a = visible_defaults.text_height, "margin"_a = visible_defaults.margin,
      "text_rgb"_a = rgb_to_python(visible_defaults.text_rgb),
      "plate_rgb"_a = rgb_to_python(visible_defaults.plate_rgb),
      "plate_opacity"_a = visible_defaults.plate_opacity,
      "font"_a = py::none(),
      "Draws the GB 45438 explicit label (\"AI生成\" by default) into a writable uint8 numpy array in place and\n"
      "returns the VisibleLabelBox it covers; pixels outside the box are never touched. A PIL image is left alone:\n"
      "the result is (a labelled PIL copy, the box). The keyword arguments are the fields of VisibleLabelOptions\n"
      "(draw_visible_label(a, **dataclasses.asdict(options)) works): text must hold an AI element and a\n"
      "generation element; text_height is the ink height / shortest side (>= 0.05); font None lets fontconfig\n"
      "choose. Raises InvalidArgumentError for bad options or an image too small for a legible label, IoError when\n"
      "no usable font is found, TypeError for something that is not a numpy array or PIL image.");
}

}  // namespace provmark::python
