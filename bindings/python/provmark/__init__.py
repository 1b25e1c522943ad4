# SPDX-License-Identifier: Apache-2.0
"""provmark: label AI-generated media.

A blind, keyed image watermark (embed / detect on numpy arrays, PIL images, JPEG/PNG bytes and files) and C2PA
provenance (sign, inspect). Every failure raises a subclass of provmark.Error.

    key = provmark.WatermarkKey.generate()
    provmark.embed_into(pixels, provmark.Payload(0x2025_0001), key)   # uint8 HxWx3 numpy array, in place
    provmark.detect(pixels, key).payload                              # Payload(0x0000000020250001)

Thread safety: every function may be called from several threads at once; the GIL is released while the
C++ library works, so detections on several threads run in parallel.
"""

from . import _pil, _types
from . import _provmark as _native
from ._errors import (BadKeyError, CryptoError, Error, ErrorCode, InternalError, InvalidArgumentError, IoError,
                      LimitExceededError, MalformedInputError, UnsupportedFormatError)
from ._provmark import (IMAGE_WATERMARK_ALG, Manifest, Payload, Signer, WatermarkKey, decode_image, detect,
                        detect_encoded, detect_file, embed, embed_encoded, embed_file, embed_into, encode_jpeg,
                        encode_png, has_packed_rows, inspect, inspect_sidecar, read_file, sign, sniff_image_format,
                        write_file_atomic)
from ._types import (DetectResult, DigitalSourceType, ImageFormat, Limits, ManifestReport, ManifestSummary,
                     SigningAlg, SoftBinding, ValidationState, ValidationStatus)

_native._bind_types(_types, _pil)

__version__: str = _native.__version__

__all__ = [
    "__version__",
    # errors
    "Error", "ErrorCode", "InvalidArgumentError", "UnsupportedFormatError", "MalformedInputError", "IoError",
    "CryptoError", "BadKeyError", "LimitExceededError", "InternalError",
    # watermark
    "WatermarkKey", "Payload", "DetectResult", "Limits", "embed", "embed_into", "detect", "embed_encoded",
    "detect_encoded", "embed_file", "detect_file", "has_packed_rows",
    # images and files
    "ImageFormat", "decode_image", "encode_jpeg", "encode_png", "sniff_image_format", "read_file",
    "write_file_atomic",
    # C2PA
    "SigningAlg", "Signer", "DigitalSourceType", "IMAGE_WATERMARK_ALG", "Manifest", "sign", "ValidationState",
    "ValidationStatus", "SoftBinding", "ManifestSummary", "ManifestReport", "inspect", "inspect_sidecar",
]
