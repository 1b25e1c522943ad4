# SPDX-License-Identifier: Apache-2.0
"""Decoding to numpy without a copy, encoding, format sniffing and the file helpers."""

import numpy as np
import pytest
from PIL import Image

import provmark


def test_decode_gives_hxwx3_for_colour_and_hxw_for_gray(data_dir):
    colour = provmark.decode_image((data_dir / "coffee.jpg").read_bytes())
    assert colour.shape == (400, 600, 3) and colour.dtype == np.uint8
    gray = provmark.decode_image((data_dir / "camera_gray.png").read_bytes())
    assert gray.shape == (512, 512)
    assert np.array_equal(gray, np.asarray(Image.open(data_dir / "camera_gray.png")))


def test_decoded_pixels_are_the_decoders_own_buffer_and_outlive_everything_else(data_dir):
    pixels = provmark.decode_image(bytearray((data_dir / "chelsea.png").read_bytes()))
    assert not pixels.flags.owndata and pixels.base is not None  # owned by a capsule holding the C++ Image
    assert pixels.flags.c_contiguous and pixels.flags.writeable
    view = pixels[10:20]
    del pixels
    assert view.sum() > 0  # still valid memory (ASan would notice otherwise)


def test_rgba_png_decodes_to_four_channels(tmp_path):
    rgba = np.random.default_rng(2).integers(0, 256, (70, 90, 4), dtype=np.uint8)
    decoded = provmark.decode_image(provmark.encode_png(rgba))
    assert np.array_equal(decoded, rgba)


def test_png_encoding_is_lossless_for_every_layout_and_any_strides():
    rng = np.random.default_rng(3)
    for shape in [(64, 80), (64, 80, 1), (64, 80, 3), (64, 80, 4)]:
        pixels = rng.integers(0, 256, shape, dtype=np.uint8)
        decoded = provmark.decode_image(provmark.encode_png(pixels))
        assert np.array_equal(decoded, pixels.reshape(decoded.shape))
    wide = rng.integers(0, 256, (64, 160, 3), dtype=np.uint8)
    assert np.array_equal(provmark.decode_image(provmark.encode_png(wide[:, ::2])), wide[:, ::2])


def test_jpeg_quality_and_chroma_options_reach_the_encoder(photo):
    small = provmark.encode_jpeg(photo, quality=30)
    large = provmark.encode_jpeg(photo, quality=95, chroma_subsampling=False)
    assert len(small) < len(large)
    assert np.abs(provmark.decode_image(large).astype(int) - photo).mean() < 3
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.encode_jpeg(photo, quality=0)


def test_sniff_names_the_container(data_dir):
    assert provmark.sniff_image_format((data_dir / "rocket.jpg").read_bytes()) == provmark.ImageFormat.JPEG == "jpeg"
    assert provmark.sniff_image_format((data_dir / "chelsea.png").read_bytes()) is provmark.ImageFormat.PNG
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.sniff_image_format(b"BM" + bytes(60))


def test_read_file_honours_the_size_limit_and_write_file_atomic_replaces_files(tmp_path):
    path = tmp_path / "data.bin"
    provmark.write_file_atomic(path, b"first")
    provmark.write_file_atomic(path, bytearray(b"second"))
    assert provmark.read_file(path) == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]
    with pytest.raises(provmark.LimitExceededError):
        provmark.read_file(path, limits=provmark.Limits(max_file_bytes=3))
    with pytest.raises(provmark.IoError):
        provmark.write_file_atomic(tmp_path / "no" / "such" / "dir.bin", b"x")


def test_limits_is_a_dataclass_with_the_cpp_defaults_and_checked_fields():
    limits = provmark.Limits()
    assert limits.max_pixels == 150_000_000 and limits.max_file_bytes == 1 << 30
    assert provmark.Limits(max_pixels=5) == provmark.Limits(5)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.Limits(max_pixels=-1)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.Limits(max_file_bytes=1.5)
