// SPDX-License-Identifier: Apache-2.0
// numpy arrays as image views (zero copy whenever the strides allow it), decoding, encoding and file helpers.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "native.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/image.hpp"

namespace provmark::python {

namespace {

using namespace pybind11::literals;

// The view of `array`'s memory, or nullopt when its strides are not "rows of packed pixels": pixels `channels`
// bytes apart, channels adjacent, rows at least a row apart. numpy gives size-1 axes arbitrary strides, so
// those are not looked at.
std::optional<MutableImageView> packed_view(const py::array& array) {
  const auto height = array.shape(0);
  const auto width = array.shape(1);
  const int channel_count = array.ndim() == 2 ? 1 : static_cast<int>(array.shape(2));
  const py::ssize_t pixel_bytes = channel_count;
  const PixelFormat format = channel_count == 1   ? PixelFormat::gray8
                             : channel_count == 3 ? PixelFormat::rgb8
                                                  : PixelFormat::rgba8;
  // numpy's pointer to a read-only array is const in spirit; only writable_view() hands it out for writing.
  auto* data = static_cast<std::uint8_t*>(const_cast<void*>(array.data()));
  // An empty array has no meaningful strides; the library rejects its size (check_view).
  if (array.size() == 0) return MutableImageView{data, static_cast<int>(width), static_cast<int>(height), 0, format};
  if (width > 1 && array.strides(1) != pixel_bytes) return std::nullopt;
  if (channel_count > 1 && array.strides(2) != 1) return std::nullopt;
  const py::ssize_t row_bytes = width * pixel_bytes;
  const py::ssize_t stride = height > 1 ? array.strides(0) : row_bytes;
  if (stride < row_bytes) return std::nullopt;
  return MutableImageView{data, static_cast<int>(width), static_cast<int>(height), stride, format};
}

py::object numpy() { return py::module_::import("numpy"); }

// Hands `image`'s pixels to numpy without copying them: the array's base is a capsule that owns the Image.
py::array take_pixels(Image&& image) {
  auto owner = std::make_unique<Image>(std::move(image));
  Image* owned = owner.get();
  const py::capsule base(owned, [](void* pointer) { delete static_cast<Image*>(pointer); });
  owner.release();  // the capsule owns it now
  const py::ssize_t height = owned->height();
  const py::ssize_t width = owned->width();
  const py::ssize_t channel_count = channels(owned->format());
  if (channel_count == 1)
    return py::array_t<std::uint8_t>({height, width}, {width, py::ssize_t{1}}, owned->data(), base);
  return py::array_t<std::uint8_t>({height, width, channel_count},
                                   {width * channel_count, channel_count, py::ssize_t{1}}, owned->data(), base);
}

}  // namespace

py::array pixel_array(const py::handle& image) {
  py::array array = py::array::ensure(is_pil_image(image) ? types().pixels_from_pil(image)
                                                          : py::reinterpret_borrow<py::object>(image));
  if (!array) {
    PyErr_Clear();
    throw py::type_error("expected image pixels (a numpy array or a PIL image), got " +
                         std::string(py::str(py::type::handle_of(image).attr("__name__"))));
  }
  if (array.dtype().kind() != 'u' || array.dtype().itemsize() != 1) {
    throw py::type_error("pixels must be uint8, got " + std::string(py::str(array.dtype())) +
                         "; scale them to 0..255 and convert with .astype(numpy.uint8)");
  }
  const bool shape_ok = (array.ndim() == 2 || array.ndim() == 3) &&
                        (array.ndim() == 2 || array.shape(2) == 1 || array.shape(2) == 3 || array.shape(2) == 4);
  if (!shape_ok) {
    throw Error(Errc::invalid_argument, "pixels must be shaped HxW, HxWx1, HxWx3 or HxWx4, got shape " +
                                            std::string(py::str(array.attr("shape"))));
  }
  if (array.shape(0) > INT_MAX || array.shape(1) > INT_MAX)
    throw Error(Errc::invalid_argument, "the image is too large");
  return array;
}

ImageView readable_view(py::array& array) {
  if (auto view = packed_view(array)) return *view;
  array = numpy().attr("ascontiguousarray")(array);
  const auto view = packed_view(array);
  if (!view) throw Error(Errc::internal, "a C-contiguous array has no packed rows");
  return *view;
}

MutableImageView writable_view(const py::handle& image, const std::string& function, const std::string& instead) {
  if (!py::isinstance<py::array>(image))
    throw py::type_error(function + " writes into a numpy array in place, got " +
                         std::string(py::str(py::type::handle_of(image).attr("__name__"))) + "; " + instead);
  const py::array array = pixel_array(image);
  if (!array.writeable()) throw Error(Errc::invalid_argument, "the array is read-only; " + instead);
  auto view = packed_view(array);
  if (!view) {
    throw Error(Errc::invalid_argument,
                function + " needs rows of packed pixels (the pixel and channel axes contiguous, as in a C-contiguous "
                "array or a crop of one); " + instead);
  }
  return *view;
}

py::array writable_copy(const py::handle& image) {
  const py::array source = pixel_array(image);
  py::array copy = numpy().attr("empty_like")(source, "order"_a = "C");
  numpy().attr("copyto")(copy, source);
  return copy;
}

void bind_images(py::module_& m) {
  m.def(
      "has_packed_rows", [](const py::handle& image) { return packed_view(pixel_array(image)).has_value(); }, "image"_a,
      "Whether provmark can read `image` (a uint8 numpy array) in place: rows of packed pixels with any row stride.\n"
      "detect() and the encoders copy other arrays first; embed_into() refuses them.");

  m.def(
      "decode_image",
      [](const py::handle& data, const Limits& limits) {
        const BytesIn in(data);
        Image image;
        {
          py::gil_scoped_release release;
          image = decode_image(in.span(), limits);
        }
        return take_pixels(std::move(image));
      },
      "data"_a, py::kw_only(), "limits"_a = py::none(),
      "Decodes JPEG or PNG bytes to a new uint8 array: HxW for grayscale, HxWx3 for colour, HxWx4 for PNG with\n"
      "alpha. The array owns the decoder's buffer (no copy).\n"
      "Raises MalformedInputError, UnsupportedFormatError or LimitExceededError.");

  m.def(
      "encode_jpeg",
      [](const py::handle& image, int quality, bool chroma_subsampling) {
        py::array array = pixel_array(image);
        const ImageView view = readable_view(array);
        std::vector<std::uint8_t> bytes;
        {
          py::gil_scoped_release release;
          bytes = encode_jpeg(view, {.quality = quality, .chroma_subsampling = chroma_subsampling});
        }
        return to_bytes(bytes);
      },
      "image"_a, py::kw_only(), "quality"_a = JpegEncodeOptions{}.quality,
      "chroma_subsampling"_a = JpegEncodeOptions{}.chroma_subsampling,
      "Encodes uint8 pixels (numpy array, HxW[x1|3|4]) as JPEG bytes; quality 1..100, 4:2:0 chroma when\n"
      "chroma_subsampling else 4:4:4. Raises InvalidArgumentError for a bad quality or an empty image.");

  m.def(
      "encode_png",
      [](const py::handle& image) {
        py::array array = pixel_array(image);
        const ImageView view = readable_view(array);
        std::vector<std::uint8_t> bytes;
        {
          py::gil_scoped_release release;
          bytes = encode_png(view);
        }
        return to_bytes(bytes);
      },
      "image"_a, "Encodes uint8 pixels (numpy array, HxW[x1|3|4]) as PNG bytes.");

  m.def(
      "sniff_image_format",
      [](const py::handle& data) {
        const BytesIn in(data);
        return types().image_format(sniff_image_format(in.span()) == ImageFormat::jpeg ? "jpeg" : "png");
      },
      "data"_a, "The ImageFormat of encoded bytes, from their signature. Raises UnsupportedFormatError.");

  m.def(
      "read_file",
      [](const std::filesystem::path& path, const Limits& limits) {
        std::vector<std::uint8_t> bytes;
        {
          py::gil_scoped_release release;
          bytes = read_file(path, limits);
        }
        return to_bytes(bytes);
      },
      "path"_a, py::kw_only(), "limits"_a = py::none(),
      "A whole file's bytes, refusing files larger than limits.max_file_bytes. Raises IoError, LimitExceededError.");

  m.def(
      "write_file_atomic",
      [](const std::filesystem::path& path, const py::handle& data) {
        const BytesIn in(data);
        py::gil_scoped_release release;
        write_file_atomic(path, in.span());
      },
      "path"_a, "data"_a,
      "Writes `data` to a temporary file beside `path`, flushes it and renames it over `path`: readers see the\n"
      "old file or the new one, and a failure leaves nothing behind. Raises IoError.");
}

}  // namespace provmark::python
