# SPDX-License-Identifier: Apache-2.0
"""The visible (explicit) label of GB 45438 from Python: drawn into numpy arrays in place, or into a copy of a PIL
image; options as keyword arguments or a VisibleLabelOptions."""

import dataclasses

import numpy as np
import pytest
from PIL import Image

import provmark


def gray_photo(shape=(300, 400, 3), value=128):
    return np.full(shape, value, dtype=np.uint8)


def changed(before, after):
    """The bounding box (x, y, width, height) of the pixels that differ."""
    diff = np.any((before != after).reshape(before.shape[0], before.shape[1], -1), axis=2)
    ys, xs = np.nonzero(diff)
    return xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1


def test_the_default_label_is_drawn_in_place_at_the_bottom_right_and_only_inside_its_box(photo):
    before = photo.copy()
    box = provmark.draw_visible_label(photo)
    assert isinstance(box, provmark.VisibleLabelBox)
    assert box.ink_height >= 0.05 * min(photo.shape[:2])
    assert box.x + box.width > photo.shape[1] * 0.9 and box.y + box.height > photo.shape[0] * 0.9
    x, y, width, height = changed(before, photo)
    assert box.x <= x and box.y <= y and x + width <= box.x + box.width and y + height <= box.y + box.height


@pytest.mark.parametrize("position", list(provmark.LabelPosition))
def test_every_position_puts_the_label_at_its_edge(position):
    image = gray_photo()
    box = provmark.draw_visible_label(image, position=position)
    centre_x, centre_y = box.x + box.width / 2, box.y + box.height / 2
    assert (centre_y < 150) == position.value.startswith("top")
    if position.value.endswith("left"):
        assert centre_x < 200
    elif position.value.endswith("right"):
        assert centre_x > 200
    else:
        assert abs(centre_x - 200) <= 1
    # The enum's value (the C++ name) works as well as the member.
    assert provmark.draw_visible_label(gray_photo(), position=position.value) == box


def test_keyword_arguments_are_the_fields_of_visible_label_options_with_the_same_defaults():
    by_default, from_options = gray_photo(), gray_photo()
    assert provmark.draw_visible_label(by_default) == provmark.draw_visible_label(
        from_options, **dataclasses.asdict(provmark.VisibleLabelOptions()))
    assert np.array_equal(by_default, from_options)
    options = provmark.VisibleLabelOptions(language=provmark.LabelLanguage.ENGLISH, text_height=0.1,
                                           position=provmark.LabelPosition.TOP, plate_rgb=(0, 0, 80))
    bigger = provmark.draw_visible_label(gray_photo(), **dataclasses.asdict(options))
    assert bigger.ink_height >= 0.1 * 300 and bigger.width > bigger.height * 3  # "AI-generated" is wide


def test_a_pil_image_is_left_alone_and_a_labelled_copy_comes_back():
    original = Image.fromarray(gray_photo())
    labelled, box = provmark.draw_visible_label(original, text="AI生成 synthesized", language="bilingual")
    assert isinstance(labelled, Image.Image) and labelled.mode == "RGB" and labelled.size == original.size
    assert np.all(np.asarray(original) == 128)
    assert not np.array_equal(np.asarray(labelled), np.asarray(original))
    assert box.width > 0


def test_gray_and_rgba_arrays_and_crops_are_drawn_into_in_place():
    gray = gray_photo((300, 400))
    provmark.draw_visible_label(gray)
    assert len(np.unique(gray)) > 2
    rgba = gray_photo((300, 400, 4), 0)
    box = provmark.draw_visible_label(rgba)
    assert np.all(rgba[box.y:box.y + box.height, box.x:box.x + box.width, 3] == 255)  # the plate is opaque
    assert np.all(rgba[:box.y, :, 3] == 0)  # alpha elsewhere untouched
    parent = gray_photo((400, 600, 3))
    crop = parent[50:350, 100:500]
    box = provmark.draw_visible_label(crop, position="top_left")
    x, y, _, _ = changed(gray_photo((400, 600, 3)), parent)
    assert (x, y) >= (100 + box.x, 50 + box.y)


def test_bad_options_and_images_raise_typed_errors():
    with pytest.raises(provmark.InvalidArgumentError, match="AI element"):
        provmark.draw_visible_label(gray_photo(), text="generated")
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.draw_visible_label(gray_photo(), text_height=0.01)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.draw_visible_label(gray_photo(), position="middle")
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.draw_visible_label(gray_photo(), text_rgb=(0, 0, 256))
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.draw_visible_label(gray_photo(), text_rgb=(0, 0))
    with pytest.raises(provmark.InvalidArgumentError, match="contrast"):
        provmark.draw_visible_label(gray_photo(), text_rgb=(0, 0, 0), plate_rgb=(10, 10, 10))
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.draw_visible_label(gray_photo((20, 30, 3)))  # too small for a legible label
    read_only = gray_photo()
    read_only.flags.writeable = False
    with pytest.raises(provmark.InvalidArgumentError, match="read-only"):
        provmark.draw_visible_label(read_only)
    with pytest.raises(provmark.InvalidArgumentError, match="packed"):
        provmark.draw_visible_label(gray_photo((300, 800, 3))[:, ::2])
    with pytest.raises(TypeError):
        provmark.draw_visible_label(gray_photo().tolist())
    with pytest.raises(TypeError):
        provmark.draw_visible_label(gray_photo().astype(np.float32))


def test_a_font_that_cannot_be_opened_is_an_io_error(tmp_path):
    (tmp_path / "font.ttf").write_bytes(b"not a font")
    with pytest.raises(provmark.IoError):
        provmark.draw_visible_label(gray_photo(), font=tmp_path / "font.ttf")
