# SPDX-License-Identifier: Apache-2.0
"""embed / detect on numpy arrays (in place, zero copy), PIL images, encoded bytes and files."""

import pathlib
import tracemalloc

import numpy as np
import pytest
from PIL import Image

import provmark

PAYLOAD = provmark.Payload(0x2025_0001_ABCD_EF00)


def found(result: provmark.DetectResult) -> bool:
    return result.found and result.payload == PAYLOAD


def test_embed_into_marks_the_callers_array_in_place_and_detect_reads_the_payload(photo, key):
    original = photo.copy()
    assert not provmark.detect(photo, key).found
    provmark.embed_into(photo, PAYLOAD, key)
    assert not np.array_equal(photo, original)
    assert np.abs(photo.astype(int) - original).mean() < 3  # invisible: small changes
    result = provmark.detect(photo, key)
    assert found(result)
    assert result.false_alarm_probability < 1e-9 and 0 <= result.corrected_bits < result.coded_bits
    assert result.scale_x == pytest.approx(1, abs=0.01) and not result.mirrored


def test_embed_returns_a_new_array_and_leaves_its_input_alone(photo, key):
    original = photo.copy()
    marked = provmark.embed(photo, PAYLOAD, key)
    assert np.array_equal(photo, original)
    assert marked.shape == photo.shape and marked.dtype == np.uint8 and marked.flags.c_contiguous
    assert not np.shares_memory(marked, photo)
    assert found(provmark.detect(marked, key))


@pytest.mark.parametrize("layout", ["HxW", "HxWx1", "HxWx3", "HxWx4"])
def test_every_pixel_layout_round_trips_and_alpha_is_untouched(photo, key, layout):
    gray = photo.mean(axis=2).astype(np.uint8)
    rgba = np.dstack([photo, np.arange(photo.shape[0] * photo.shape[1], dtype=np.uint32).reshape(photo.shape[:2])
                      .astype(np.uint8)])
    image = {"HxW": gray, "HxWx1": gray[:, :, None].copy(), "HxWx3": photo, "HxWx4": rgba}[layout]
    marked = provmark.embed(image, PAYLOAD, key)
    assert marked.shape == image.shape
    if layout == "HxWx4":
        assert np.array_equal(marked[:, :, 3], image[:, :, 3])
    assert found(provmark.detect(marked, key))


def test_a_different_key_finds_nothing(photo, key):
    provmark.embed_into(photo, PAYLOAD, key)
    result = provmark.detect(photo, provmark.WatermarkKey.generate())
    assert not result.found and result.payload is None


def test_detect_any_names_the_key_of_a_keyring_that_marked_the_picture(photo, key):
    keyring = [provmark.WatermarkKey.generate(), key, provmark.WatermarkKey.generate()]
    marked = provmark.embed(photo, PAYLOAD, key)
    index, result = provmark.detect_any(marked, keyring)
    assert index == 1 and found(result)
    assert provmark.detect_any(photo, keyring)[0] is None
    assert provmark.detect_any(marked, [])[0] is None


def test_strength_and_max_false_alarm_reach_the_library(photo, key):
    weak = provmark.embed(photo, PAYLOAD, key, strength=0.5)
    strong = provmark.embed(photo, PAYLOAD, key, strength=2.0)
    assert np.abs(weak.astype(int) - photo).sum() < np.abs(strong.astype(int) - photo).sum()
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.embed(photo, PAYLOAD, key, strength=5.0)
    assert found(provmark.detect(weak, key))
    assert not provmark.detect(weak, key, max_false_alarm=1e-200).found  # weak marks reach ~1e-30


def test_embed_into_and_detect_work_in_place_on_a_crop_of_a_larger_array(photo, key):
    original = photo.copy()
    crop = photo[50:350, 100:500]  # a view: rows 1800 bytes apart, 1200 bytes of pixels each
    assert not crop.flags.c_contiguous and provmark.has_packed_rows(crop)
    provmark.embed_into(crop, PAYLOAD, key)
    outside = np.ones(photo.shape[:2], bool)
    outside[50:350, 100:500] = False
    assert np.array_equal(photo[outside], original[outside])  # written through the view, only inside it
    assert not np.array_equal(photo[50:350, 100:500], original[50:350, 100:500])
    assert found(provmark.detect(photo[50:350, 100:500], key))


def peak_allocation(function) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_detect_reads_a_view_without_copying_and_copies_other_strides(key):
    # numpy reports its buffers to tracemalloc, so a copy of the 12 MB image would show in the peak.
    big = np.random.default_rng(1).integers(0, 256, (2000, 2000, 3), dtype=np.uint8)
    view = big[100:1900, 100:1900]
    provmark.detect(view, key)  # warm-up: caches, lazy imports
    assert peak_allocation(lambda: provmark.detect(view, key)) < view.nbytes // 10
    strided = big[:, ::2]  # pixels 6 bytes apart: no ImageView describes it
    assert not provmark.has_packed_rows(strided)
    assert peak_allocation(lambda: provmark.detect(strided, key)) >= strided.nbytes


def test_non_contiguous_and_read_only_arrays_are_copied_by_embed_and_detect_but_refused_by_embed_into(photo, key):
    marked = provmark.embed(photo, PAYLOAD, key)
    mirrored_back = provmark.embed(photo[:, ::-1], PAYLOAD, key)[:, ::-1]  # negative strides: copied
    assert found(provmark.detect(mirrored_back, key))
    fortran = np.asfortranarray(marked)
    assert not provmark.has_packed_rows(fortran)
    assert found(provmark.detect(fortran, key))
    with pytest.raises(provmark.InvalidArgumentError, match="packed pixels"):
        provmark.embed_into(fortran, PAYLOAD, key)
    read_only = photo.copy()
    read_only.flags.writeable = False
    with pytest.raises(provmark.InvalidArgumentError, match="read-only"):
        provmark.embed_into(read_only, PAYLOAD, key)
    with pytest.raises(TypeError, match="numpy array"):
        provmark.embed_into(photo.tolist(), PAYLOAD, key)


@pytest.mark.parametrize("dtype", [np.float32, np.uint16, np.int8, np.int64])
def test_pixels_of_another_dtype_are_a_type_error(photo, key, dtype):
    with pytest.raises(TypeError, match="uint8"):
        provmark.detect(photo.astype(dtype), key)
    with pytest.raises(TypeError, match="uint8"):
        provmark.embed_into(photo.astype(dtype), PAYLOAD, key)


@pytest.mark.parametrize("shape", [(100,), (100, 100, 2), (100, 100, 5), (2, 100, 100, 3)])
def test_pixels_of_another_shape_are_an_invalid_argument(key, shape):
    with pytest.raises(provmark.InvalidArgumentError, match="shaped"):
        provmark.detect(np.zeros(shape, np.uint8), key)


def test_images_smaller_than_64_pixels_or_empty_are_invalid_arguments(key):
    with pytest.raises(provmark.InvalidArgumentError, match="64x64"):
        provmark.embed(np.zeros((63, 200, 3), np.uint8), PAYLOAD, key)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.detect(np.zeros((0, 10, 3), np.uint8), key)


def test_a_pil_image_in_gives_a_pil_image_out(photo, key):
    image = Image.fromarray(photo)
    marked = provmark.embed(image, PAYLOAD, key)
    assert isinstance(marked, Image.Image) and marked.mode == "RGB" and marked.size == image.size
    assert found(provmark.detect(marked, key))
    assert found(provmark.detect(np.asarray(marked), key))
    gray = provmark.embed(image.convert("L"), PAYLOAD, key)
    assert gray.mode == "L" and found(provmark.detect(gray, key))


def test_other_pil_modes_are_converted_and_wide_ones_refused(photo, key):
    palette = Image.fromarray(photo).convert("P")
    marked = provmark.embed(palette, PAYLOAD, key)
    assert marked.mode == "RGB" and found(provmark.detect(marked, key))
    with_alpha = provmark.embed(Image.fromarray(photo).convert("LA"), PAYLOAD, key)
    assert with_alpha.mode == "RGBA"
    with pytest.raises(TypeError, match="8 bits"):
        provmark.detect(Image.new("I;16", (100, 100)), key)
    with pytest.raises(TypeError, match="numpy array"):
        provmark.embed_into(Image.fromarray(photo), PAYLOAD, key)


def test_encoded_bytes_of_any_buffer_type_are_marked_and_read(data_dir, key):
    jpeg = (data_dir / "coffee.jpg").read_bytes()
    marked = provmark.embed_encoded(memoryview(jpeg), PAYLOAD, key, jpeg_quality=95)
    assert isinstance(marked, bytes) and marked[:2] == b"\xff\xd8"
    assert provmark.sniff_image_format(marked) is provmark.ImageFormat.JPEG
    for data in (marked, bytearray(marked), memoryview(marked), np.frombuffer(marked, np.uint8)):
        assert found(provmark.detect_encoded(data, key))
    assert not provmark.detect_encoded(jpeg, key).found
    with pytest.raises(TypeError):
        provmark.detect_encoded("not bytes", key)


def test_files_are_marked_and_read_by_path(data_dir, tmp_path, key):
    out = tmp_path / "marked.png"
    provmark.embed_file(data_dir / "chelsea.png", out, PAYLOAD, key, strength=1.5)
    assert provmark.sniff_image_format(out.read_bytes()) is provmark.ImageFormat.PNG
    assert found(provmark.detect_file(out, key))
    assert found(provmark.detect_file(str(out), key))
    with pytest.raises(provmark.LimitExceededError):
        provmark.detect_file(out, key, limits=provmark.Limits(max_file_bytes=1000))


def test_a_failed_embed_file_leaves_no_output(tmp_path, key):
    source = tmp_path / "broken.jpg"
    source.write_bytes(b"\xff\xd8\xff\xe0" + bytes(50))
    out = tmp_path / "out.jpg"
    with pytest.raises(provmark.MalformedInputError):
        provmark.embed_file(source, out, PAYLOAD, key)
    assert list(pathlib.Path(tmp_path).iterdir()) == [source]
