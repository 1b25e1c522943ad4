# SPDX-License-Identifier: Apache-2.0
"""The plain Python types of the provmark API: enums, Limits and the result dataclasses. The extension builds
its results from these classes (provmark/__init__.py hands them over), and reads enum members as their str
values, so "es256" works wherever SigningAlg.ES256 does."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import os
from typing import Union

import numpy as np
import numpy.typing as npt

from . import _provmark as _native
from ._errors import ERROR_CLASSES, InvalidArgumentError

__all__ = ["ERROR_CLASSES", "ImageFormat", "SigningAlg", "DigitalSourceType", "ExistingManifests", "ValidationState",
           "Limits", "DetectResult", "ValidationStatus", "SoftBinding", "IngredientSummary", "ManifestSummary",
           "IngredientDelta", "ManifestReport", "AigcLabel", "FoundAigcLabel", "LabelPosition", "LabelLanguage",
           "VisibleLabelOptions", "VisibleLabelBox", "StoredManifest", "AudibleLabelPlacement", "LabelResult",
           "PropagateResult", "Verdict", "WatermarkEvidence", "Contradiction", "VerifyReport", "AudioFileFormat",
           "AudioSampleDepth", "AudibleLabelMode", "AudibleLabelOptions", "AudioTag", "AudioSourceInfo",
           "DecodedAudio", "AudibleLabelResult", "AudioDetectResult"]

_DEFAULTS = _native._DEFAULTS


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


class ExistingManifests(str, enum.Enum):
    """What sign() does with a manifest store the asset already has (Manifest.existing_manifests())."""

    KEEP_AS_PARENT = "keep_as_parent"  #: keep it; its active manifest becomes the parentOf ingredient
    REPLACE = "replace"  #: drop it: only the new manifest remains


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
    #: decoded audio samples (frames x channels): about 35 minutes of 48 kHz stereo
    max_audio_samples: int = _native.DEFAULT_MAX_AUDIO_SAMPLES

    def __post_init__(self) -> None:
        for name in ("max_pixels", "max_file_bytes", "max_audio_samples"):
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
class IngredientSummary:
    """One ingredient assertion of a manifest (c2pa.ingredient, .v2, .v3), as c2pa-rs's Reader lists it. The
    statuses are what the assertion recorded when it was made; ManifestReport.ingredient_deltas has what
    differs now."""

    label: str  #: the assertion's label, e.g. "c2pa.ingredient.v3"
    title: str  #: dc:title
    format: str  #: dc:format
    relationship: str  #: "parentOf", "componentOf" or "inputTo"
    active_manifest: str  #: label of the ingredient's manifest; "" for an ingredient without provenance
    success: tuple[ValidationStatus, ...]
    informational: tuple[ValidationStatus, ...]
    failure: tuple[ValidationStatus, ...]


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
    ingredients: tuple[IngredientSummary, ...] = ()  #: in assertion store order


@dataclasses.dataclass(frozen=True)
class IngredientDelta:
    """Results for one ingredient assertion that differ from what it recorded (C2PA 2.2 section 15.11, c2pa-rs
    ingredientDeltas)."""

    ingredient_assertion_uri: str  #: self#jumbf=/c2pa/<manifest>/c2pa.assertions/<ingredient label>
    success: tuple[ValidationStatus, ...]
    informational: tuple[ValidationStatus, ...]
    failure: tuple[ValidationStatus, ...]


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
    #: a failure here (other than an untrusted signer) makes the store Invalid
    ingredient_deltas: tuple[IngredientDelta, ...] = ()
    _json: str = dataclasses.field(default="", repr=False, compare=False)

    def to_json(self) -> str:
        """The report shaped like c2pa-rs's Reader JSON ("active_manifest", "manifests", "validation_state",
        "validation_results"), as the C++ library writes it."""
        return self._json


@dataclasses.dataclass(frozen=True)
class AigcLabel:
    """The GB 45438-2025 implicit metadata label (Annex E): seven string elements, in the standard's order."""

    label: str = _DEFAULTS["AigcLabel"]["label"]  #: "1" AI-generated, "2" possibly, "3" suspected
    content_producer: str = ""  #: provider code (27 characters, ^00[0-9A-Z]{25}$) or name
    produce_id: str = ""  #: the provider's unique number for this content
    reserved_code1: str = ""
    content_propagator: str = ""
    propagate_id: str = ""
    reserved_code2: str = ""

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, str):
                raise TypeError(f"AigcLabel.{field.name} must be a str, got {type(value).__name__}")

    def to_json(self) -> str:
        """Compact inner object in Annex E key order: {"Label":"1","ContentProducer":...}."""
        return _native._aigc_label_json(self, False)

    def to_wrapped_json(self) -> str:
        """The wrapped form {"AIGC":{...}} used in generic fields (PNG tEXt AIGC, EXIF UserComment)."""
        return _native._aigc_label_json(self, True)


@dataclasses.dataclass(frozen=True)
class FoundAigcLabel:
    """One AIGC label found in a file (read_aigc_labels)."""

    label: AigcLabel
    carrier: str  #: "xmp" (TC260:AIGC), "png-text" (text chunk keyword AIGC) or "exif-user-comment"
    #: aigc_label_problems() of the label; a value that is not AIGC JSON has an all-empty label and one problem
    #: starting "unreadable value: "
    problems: tuple[str, ...]


class LabelPosition(str, enum.Enum):
    """Where the visible label goes: a corner, or centred on the top or bottom edge."""

    TOP_LEFT = "top_left"
    TOP_RIGHT = "top_right"
    BOTTOM_LEFT = "bottom_left"
    BOTTOM_RIGHT = "bottom_right"
    TOP = "top"
    BOTTOM = "bottom"


class LabelLanguage(str, enum.Enum):
    """The default wording of the visible label (VisibleLabelOptions.text overrides it)."""

    CHINESE = "chinese"  #: "AI生成"
    ENGLISH = "english"  #: "AI-generated"
    BILINGUAL = "bilingual"  #: "AI生成 AI-generated"


_VISIBLE_DEFAULTS = _DEFAULTS["VisibleLabelOptions"]


@dataclasses.dataclass(frozen=True)
class VisibleLabelOptions:
    """The explicit label of GB 45438 section 5.2, for label(visible_label=...). The field names are the keyword
    arguments of draw_visible_label(); the defaults are C++'s."""

    #: one line of UTF-8, at most 256 characters, with an AI element ("AI" or "人工智能") and a generation
    #: element ("生成", "合成", "generated", "synthesized"); "" is the language's default wording
    text: str = _VISIBLE_DEFAULTS["text"]
    language: LabelLanguage = LabelLanguage(_VISIBLE_DEFAULTS["language"])
    position: LabelPosition = LabelPosition(_VISIBLE_DEFAULTS["position"])
    text_height: float = _VISIBLE_DEFAULTS["text_height"]  #: ink height / shortest side, in [0.05, 0.5]
    margin: float = _VISIBLE_DEFAULTS["margin"]  #: gap to the edges / shortest side, in [0, 0.25]
    #: text and plate colours must contrast at least 4.5:1 (WCAG)
    text_rgb: tuple[int, int, int] = _VISIBLE_DEFAULTS["text_rgb"]
    plate_rgb: tuple[int, int, int] = _VISIBLE_DEFAULTS["plate_rgb"]
    #: in [0, 1]; when the plate cannot keep the contrast, the glyphs get an outline in plate_rgb
    plate_opacity: float = _VISIBLE_DEFAULTS["plate_opacity"]
    #: a font file; None lets fontconfig choose a sans-serif font covering the text, CJK first
    font: Union[str, os.PathLike, None] = None


@dataclasses.dataclass(frozen=True)
class VisibleLabelBox:
    """Where the visible label was drawn, in pixels: the plate (or text and outline) rectangle."""

    x: int
    y: int
    width: int
    height: int
    ink_height: int  #: measured ink height of the tallest glyph


@dataclasses.dataclass(frozen=True)
class StoredManifest:
    """A signed manifest as a ManifestStore keeps it, under the watermark payload embedded with it."""

    payload: _native.Payload
    store: bytes  #: the C2PA manifest store (JUMBF) as embedded
    active_manifest: str  #: its active manifest's label (urn:c2pa:...)
    media_type: str  #: of the asset it was signed into, e.g. "image/jpeg"
    signed_at: datetime.datetime  #: kept to the millisecond; read back timezone-aware (UTC)


@dataclasses.dataclass(frozen=True)
class AudibleLabelPlacement:
    """Where label() put the audible cue."""

    level_dbfs: float  #: the cue's level as made (RMS relative to full scale)
    label_frames: int  #: length of one cue, in frames
    content_offset: int  #: frame of the output where the content starts
    sample_rate: int  #: of the cue and the content, before encoding


@dataclasses.dataclass(frozen=True)
class LabelResult:
    """What label() did."""

    bytes: bytes  #: the labelled file, in the input's format
    media_type: str  #: "image/jpeg", "image/png", "audio/wav", "audio/mpeg", "audio/mp4", "audio/flac", "audio/ogg"
    content_id: str  #: unique identifier (AIGC ProduceID, disclosure identifier)
    visible_label: VisibleLabelBox | None  #: where the visible label was drawn, None when not drawn
    audible_label: AudibleLabelPlacement | None  #: where the audible cue went (audio), None when not added
    aigc: AigcLabel | None  #: the AIGC label written, None when not written
    watermark: _native.Payload | None  #: the payload embedded (the start of content_id), None without a key
    manifest_label: str  #: urn:c2pa:... of the manifest signed, "" without a signer
    created: datetime.datetime  #: timezone-aware (UTC)


@dataclasses.dataclass(frozen=True)
class PropagateResult:
    """What propagate() did."""

    bytes: bytes  #: the file with the propagation elements (and a new manifest when it was signed)
    aigc: AigcLabel  #: the label written
    manifest_label: str  #: the new manifest, "" when none was signed


class Verdict(str, enum.Enum):
    """Measures Art. 6: 属于 (confirmed), 可能 (possibly), 疑似 (suspected), or nothing found."""

    CONFIRMED_AI = _native.verdict_name(0)
    POSSIBLY_AI = _native.verdict_name(1)
    SUSPECTED_AI = _native.verdict_name(2)
    NO_EVIDENCE = _native.verdict_name(3)


@dataclasses.dataclass(frozen=True)
class WatermarkEvidence:
    """A watermark found with one of the keyring's keys."""

    provider: str  #: the keyring entry whose key found it
    payload: _native.Payload
    false_alarm_probability: float
    detection: DetectResult | AudioDetectResult  #: the image or the audio detector's result


@dataclasses.dataclass(frozen=True)
class Contradiction:
    """A finding that does not fit the rest: a stable code (spec/verify-report-v1.md) and why."""

    code: str  #: e.g. "metadata_stripped", "pixels_changed_after_signing"
    explanation: str


@dataclasses.dataclass(frozen=True)
class VerifyReport:
    """What verify() found in an upload, and the verdict it reached."""

    verdict: Verdict
    summary: str  #: one sentence: why this verdict
    format: str  #: "image/jpeg" or "image/png"
    manifest: ManifestReport  #: the embedded manifest (has_manifest False when none)
    manifest_declares_ai: bool  #: its first action has an AI digitalSourceType
    recovered_manifest: ManifestReport | None  #: from the store, found through the watermark
    aigc_labels: tuple[FoundAigcLabel, ...]
    watermark: WatermarkEvidence | None
    contradictions: tuple[Contradiction, ...]
    _json: str = dataclasses.field(default="", repr=False, compare=False)

    def to_json(self) -> str:
        """The report as spec/verify-report-v1.md describes it ("verdict", "notice", "summary", "format",
        "evidence", "contradictions"), as the C++ library writes it."""
        return self._json


class AudioFileFormat(str, enum.Enum):
    """The file formats encode_audio() writes; the values are the C++ names."""

    SAME_AS_SOURCE = "same_as_source"  #: the format, bit rate and depth of the decoded source (AudioSourceInfo)
    WAV = "wav"  #: RIFF WAVE, PCM
    FLAC = "flac"
    MP3 = "mp3"  #: MPEG Layer III (LAME), ID3v2.4 tags
    M4A = "m4a"  #: AAC-LC in MP4
    OGG_OPUS = "ogg_opus"  #: Opus in Ogg, always 48 kHz
    OGG_VORBIS = "ogg_vorbis"  #: Vorbis in Ogg


class AudioSampleDepth(str, enum.Enum):
    """Samples of the lossless formats."""

    S16 = "s16"
    S24 = "s24"
    F32 = "f32"  #: WAV only (IEEE float)


class AudibleLabelMode(str, enum.Enum):
    """How add_audible_label() places the cue."""

    PREPEND = "prepend"  #: the cue, then a short silence, before the content: the content is not changed
    MIX = "mix"  #: the cue over the content's first seconds, the content ducked beneath it: same length


_AUDIBLE_DEFAULTS = _DEFAULTS["AudibleLabelOptions"]


# eq=False: numpy arrays have no single truth value, so a clip cannot be compared as a field.
@dataclasses.dataclass(frozen=True, eq=False)
class AudibleLabelOptions:
    """The explicit label of audio (GB 45438 section 5.3), for label(audible_label=...). The fields but
    clip_sample_rate are the keyword arguments of add_audible_label(); the defaults are C++'s."""

    mode: AudibleLabelMode = AudibleLabelMode(_AUDIBLE_DEFAULTS["mode"])
    at_end: bool = _AUDIBLE_DEFAULTS["at_end"]  #: the cue at the end as well as at the start
    #: float32 PCM to use instead of the Morse tone (e.g. a spoken "AI生成"): the content's channel count or mono
    clip: npt.NDArray[np.float32] | None = None
    #: the clip's rate, which must be the content's (label() refuses another); unused without a clip
    clip_sample_rate: int = 0
    tone_hz: float = _AUDIBLE_DEFAULTS["tone_hz"]  #: 100 Hz .. min(8 kHz, 0.4 x sample rate)
    unit_seconds: float = _AUDIBLE_DEFAULTS["unit_seconds"]  #: Morse unit, in [0.03, 0.5]
    #: the cue's level relative to the content's loudest second, in [-40, 12] dB
    level_offset_db: float = _AUDIBLE_DEFAULTS["level_offset_db"]
    floor_dbfs: float = _AUDIBLE_DEFAULTS["floor_dbfs"]  #: the cue is never quieter, in [-60, -6]
    gap_seconds: float = _AUDIBLE_DEFAULTS["gap_seconds"]  #: PREPEND: silence between cue and content, in [0, 5]
    crossfade_seconds: float = _AUDIBLE_DEFAULTS["crossfade_seconds"]  #: ramps at every edge, in [0, 0.1]
    duck_db: float = _AUDIBLE_DEFAULTS["duck_db"]  #: MIX: content gain under the cue, in [-60, 0]


@dataclasses.dataclass(frozen=True)
class AudioTag:
    """One metadata tag: an ID3v2 frame (TXXX for unknown keys), a Vorbis comment, an MP4 or WAV INFO tag."""

    key: str
    value: str


@dataclasses.dataclass(frozen=True)
class AudioSourceInfo:
    """What a decoded file was (decode_audio()); encode_audio(source=...) copies its format for SAME_AS_SOURCE."""

    container: str  #: FFmpeg's demuxer name: "wav", "flac", "mp3", "ogg", "mov,mp4,m4a,3gp,3g2,mj2", ...
    codec: str  #: FFmpeg's codec name: "pcm_s16le", "flac", "mp3", "aac", "opus", "vorbis", ...
    bit_rate: int  #: bits per second of the audio stream (of the file when the stream has none); 0 unknown
    sample_format: str  #: the decoder's native sample format: "s16", "s32", "fltp", ...
    bits_per_sample: int  #: of PCM and FLAC sources (16, 24, 32); 0 for lossy codecs
    sample_rate: int
    channels: int
    tags: tuple[AudioTag, ...] = ()  #: container tags, then the audio stream's own


# eq=False: numpy arrays have no single truth value, so samples cannot be compared as a field.
@dataclasses.dataclass(frozen=True, eq=False)
class DecodedAudio:
    """Decoded PCM and where it came from (decode_audio())."""

    samples: npt.NDArray[np.float32]  #: interleaved, shaped (frames, channels), mono too
    sample_rate: int  #: the source's, in Hz
    source: AudioSourceInfo


@dataclasses.dataclass(frozen=True, eq=False)
class AudibleLabelResult:
    """The content with the audible label (add_audible_label()). Levels are RMS relative to full scale (dBFS)."""

    samples: npt.NDArray[np.float32]  #: a new array, shaped like the content (longer in PREPEND mode)
    sample_rate: int
    level_dbfs: float  #: the label's level as made
    target_dbfs: float  #: the level asked for: the content's reference level + offset, at least the floor
    label_frames: int  #: length of one label
    content_offset: int  #: frame where the content starts (PREPEND: label + gap; MIX: 0)


@dataclasses.dataclass(frozen=True)
class AudioDetectResult:
    """What the audio detector found. found=False is an answer, not an error."""

    found: bool
    payload: _native.Payload | None  #: the payload read, None when not found
    corrected_bits: int  #: coded bits the decoder had to correct (erased ones included)
    coded_bits: int  #: coded bits carried
    false_alarm_probability: float  #: upper bound on P(a report this strong from unmarked content)
    time_scale: float  #: duration of the input / duration of the marked original (1/1.02: faster)
    frequency_scale: float  #: pitch of the input / pitch of the original (speed changes move both)
    offset_seconds: float  #: where in the input a watermark period starts
