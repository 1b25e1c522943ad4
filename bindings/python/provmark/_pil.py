# SPDX-License-Identifier: Apache-2.0
"""Pillow images <-> the uint8 numpy arrays the extension works on. Called by the extension only when it was
given a PIL image, so Pillow is never imported by provmark itself."""

from __future__ import annotations

from typing import Any

import numpy as np

# Modes with more than 8 bits per sample: converting them to 8 bits would silently clip, so they are refused.
_WIDE_MODES = ("I", "I;16", "I;16L", "I;16B", "I;16N", "F")


def pixels_from_pil(image: Any) -> np.ndarray:
    """The pixels of a PIL image: L, RGB and RGBA as they are, "1" as L, others converted to RGB (RGBA when
    they have alpha or transparency). Raises TypeError for modes wider than 8 bits per sample."""
    mode = image.mode
    if mode in ("L", "RGB", "RGBA"):
        return np.asarray(image)
    if mode in _WIDE_MODES:
        raise TypeError(f"PIL mode {mode!r} has more than 8 bits per sample; convert the image to 8 bits first")
    if mode == "1":
        return np.asarray(image.convert("L"))
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    return np.asarray(image.convert("RGBA" if has_alpha else "RGB"))


def pixels_to_pil(pixels: np.ndarray) -> Any:
    """A PIL image (L, RGB or RGBA) of uint8 pixels shaped HxW, HxWx1, HxWx3 or HxWx4."""
    from PIL import Image

    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = pixels[:, :, 0]
    return Image.fromarray(pixels)
