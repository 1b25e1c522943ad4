# SPDX-License-Identifier: Apache-2.0
"""The plain Python types of the provmark API: enums, Limits and the result dataclasses. The extension builds
its results from these classes (provmark/__init__.py hands them over), and reads enum members as their str
values, so "es256" works wherever SigningAlg.ES256 does."""

from __future__ import annotations

import dataclasses
import enum

from . import _provmark as _native
from ._errors import ERROR_CLASSES, InvalidArgumentError

__all__ = ["ERROR_CLASSES", "ImageFormat", "SigningAlg", "DigitalSourceType", "ValidationState", "Limits",
           "DetectResult", "ValidationStatus", "SoftBinding", "ManifestSummary", "ManifestReport"]


class ImageFormat(str, enum.Enum):
    """Container formats provmark reads and writes."""

    JPEG = "jpeg"
    PNG = "png"


class SigningAlg(str, enum.Enum):
    """C2PA signature algorithms (COSE ES256, ES384, PS256, EdDSA)."""

    ES256 = "es256"
    ES384 = "es384"
    PS256 = "ps256"
    ED25519 = "ed25519"


class DigitalSourceType(str, enum.Enum):
    """IPTC digital source types provmark writes for generated media; the values are the IPTC URIs."""

    TRAINED_ALGORITHMIC_MEDIA = _native.digital_source_type_uri("trained_algorithmic_media")
    COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA = _native.digital_source_type_uri(
        "composite_with_trained_algorithmic_media")


class ValidationState(str, enum.Enum):
    """The C2PA validation state of a manifest store, named as c2pa-rs names it."""

    INVALID = _native.validation_state_name(0)
    VALID = _native.validation_state_name(1)
    TRUSTED = _native.validation_state_name(2)


@dataclasses.dataclass(frozen=True)
class Limits:
    """Limits applied to untrusted input before any large allocation. None wherever a Limits is asked for
    means these defaults."""

    max_pixels: int = _native.DEFAULT_MAX_PIXELS  #: width * height of a decoded image
    max_file_bytes: int = _native.DEFAULT_MAX_FILE_BYTES  #: bytes read from one file

    def __post_init__(self) -> None:
        for name in ("max_pixels", "max_file_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**64:
                raise InvalidArgumentError(f"Limits.{name} must be an integer in [0, 2**64), got {value!r}")


@dataclasses.dataclass(frozen=True)
class DetectResult:
    """What the detector found. found=False is an answer, not an error."""

    found: bool
    payload: _native.Payload | None  #: the payload read, None when not found
    corrected_bits: int  #: coded bits the decoder had to correct
    coded_bits: int  #: coded bits carried
    false_alarm_probability: float  #: upper bound on P(a report this strong from unmarked content)
    scale_x: float  #: geometry of the best candidate relative to the marked image
    scale_y: float
    rotation_deg: float  #: counter-clockwise
    mirrored: bool


@dataclasses.dataclass(frozen=True)
class ValidationStatus:
    """One C2PA status entry: its code, the JUMBF URI of the box concerned, and why."""

    code: str
    url: str
    explanation: str


@dataclasses.dataclass(frozen=True)
class SoftBinding:
    """A c2pa.soft-binding assertion: algorithm and value (for provmark's watermark, the payload bytes)."""

    alg: str
    value: bytes


@dataclasses.dataclass(frozen=True)
class ManifestSummary:
    """What one manifest of a store says."""

    label: str
    claim_version: int
    claim_generator: str
    assertions: tuple[str, ...]  #: assertion labels in the assertion store, in order
    digital_source_type: str  #: of the first action that has one
    actions: tuple[str, ...]  #: action names, in order
    signature_alg: str  #: as c2pa-rs prints it: "Es256", "Ps256", "Ed25519", ...
    signature_issuer: str  #: O= of the signer certificate's subject
    signature_common_name: str  #: CN= of the signer certificate's subject
    soft_bindings: tuple[SoftBinding, ...]


@dataclasses.dataclass(frozen=True)
class ManifestReport:
    """The validation report of a manifest store, as c2pa-rs's Reader gives it."""

    has_manifest: bool
    state: ValidationState
    active_manifest: str
    manifests: tuple[ManifestSummary, ...]  #: in store order; the active one is last
    success: tuple[ValidationStatus, ...]  #: status entries of the active manifest
    informational: tuple[ValidationStatus, ...]
    failure: tuple[ValidationStatus, ...]
    _json: str = dataclasses.field(default="", repr=False, compare=False)

    def to_json(self) -> str:
        """The report shaped like c2pa-rs's Reader JSON ("active_manifest", "manifests", "validation_state",
        "validation_results"), as the C++ library writes it."""
        return self._json
