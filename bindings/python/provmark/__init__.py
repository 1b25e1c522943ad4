# SPDX-License-Identifier: Apache-2.0
"""provmark: label AI-generated media.

A blind, keyed image watermark (embed / detect on numpy arrays, PIL images, JPEG/PNG bytes and files), the audio
half (decode / encode, the audible label, the audio watermark on float32 PCM arrays, encoded bytes and files), C2PA
provenance (sign, inspect), the GB 45438 labels (the AIGC metadata label, the visible label), a store of signed
manifests, and the one-call pipelines label() (export), propagate() (platform) and verify() (upload). Every
failure raises a subclass of provmark.Error.

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
from ._provmark import (AUDIO_WATERMARK_ALG, AUDIO_WATERMARK_MIN_SECONDS, IMAGE_WATERMARK_ALG, Manifest, ManifestStore,
                        Payload, Signer, WatermarkKey, add_audible_label, aigc_label_problems, audio_file_extension,
                        audio_file_format_of, decode_audio, decode_audio_file, decode_image, detect, detect_any,
                        detect_audio, detect_audio_encoded, detect_audio_file, detect_encoded, detect_file,
                        draw_visible_label,
                        embed, embed_audio, embed_audio_encoded, embed_audio_file, embed_audio_into, embed_encoded,
                        embed_file, embed_into, encode_audio, encode_audio_file, encode_jpeg, encode_png,
                        has_packed_rows, inspect, inspect_sidecar, label, label_file, manifest_from_json,
                        parse_aigc_json, propagate, read_aigc_labels, read_file, sidecar_path, sign, sign_sidecar,
                        sign_sidecar_file, sniff_image_format, verify, write_aigc_label, write_file_atomic)
from ._types import (AigcLabel, AudibleLabelMode, AudibleLabelOptions, AudibleLabelPlacement, AudibleLabelResult,
                     AudioDetectResult, AudioFileFormat, AudioSampleDepth, AudioSourceInfo, AudioTag, Contradiction,
                     DecodedAudio, DetectResult, DigitalSourceType, ExistingManifests, FoundAigcLabel, ImageFormat,
                     IngredientDelta, IngredientSummary, LabelLanguage, LabelPosition, LabelResult, Limits,
                     ManifestReport, ManifestSummary, PropagateResult, SigningAlg, SoftBinding, StoredManifest,
                     ValidationState, ValidationStatus, Verdict, VerifyReport, VisibleLabelBox, VisibleLabelOptions,
                     WatermarkEvidence)

_native._bind_types(_types, _pil)

__version__: str = _native.__version__

__all__ = [
    "__version__",
    # errors
    "Error", "ErrorCode", "InvalidArgumentError", "UnsupportedFormatError", "MalformedInputError", "IoError",
    "CryptoError", "BadKeyError", "LimitExceededError", "InternalError",
    # watermark
    "WatermarkKey", "Payload", "DetectResult", "Limits", "embed", "embed_into", "detect", "detect_any",
    "embed_encoded",
    "detect_encoded", "embed_file", "detect_file", "has_packed_rows",
    # images and files
    "ImageFormat", "decode_image", "encode_jpeg", "encode_png", "sniff_image_format", "read_file",
    "write_file_atomic",
    # audio
    "AudioFileFormat", "AudioSampleDepth", "AudioTag", "AudioSourceInfo", "DecodedAudio", "decode_audio",
    "decode_audio_file", "encode_audio", "encode_audio_file", "audio_file_format_of", "audio_file_extension",
    "AudibleLabelMode", "AudibleLabelOptions", "AudibleLabelResult", "add_audible_label", "AUDIO_WATERMARK_ALG",
    "AUDIO_WATERMARK_MIN_SECONDS", "AudioDetectResult", "embed_audio_into", "embed_audio", "detect_audio",
    "embed_audio_encoded", "detect_audio_encoded", "embed_audio_file", "detect_audio_file",
    # C2PA
    "SigningAlg", "Signer", "DigitalSourceType", "ExistingManifests", "IMAGE_WATERMARK_ALG", "Manifest",
    "manifest_from_json", "sign", "sign_sidecar", "sign_sidecar_file", "sidecar_path", "ValidationState",
    "ValidationStatus", "SoftBinding", "IngredientSummary", "ManifestSummary", "IngredientDelta", "ManifestReport",
    "inspect", "inspect_sidecar",
    # GB 45438 labels
    "AigcLabel", "FoundAigcLabel", "aigc_label_problems", "parse_aigc_json", "read_aigc_labels",
    "write_aigc_label", "LabelPosition", "LabelLanguage", "VisibleLabelOptions", "VisibleLabelBox",
    "draw_visible_label",
    # manifest store
    "ManifestStore", "StoredManifest",
    # pipelines
    "label", "label_file", "LabelResult", "AudibleLabelPlacement", "propagate", "PropagateResult",
    "verify", "Verdict", "VerifyReport", "WatermarkEvidence", "Contradiction",
]
