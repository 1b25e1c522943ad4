# SPDX-License-Identifier: Apache-2.0
"""label(), label_file() and propagate() from Python: every layer written and read back, options as keyword
arguments, the objects passed kept alive for the call, and typed errors."""

import datetime
import json
import re
import subprocess

import numpy as np
import pytest
from PIL import Image

import provmark

PRODUCER = "001191110102MAD55U9H0F10002"
PRODUCER_LABEL = provmark.AigcLabel(content_producer=PRODUCER)


@pytest.fixture()
def store(tmp_path):
    with provmark.ManifestStore.open(tmp_path / "store" / "manifests.sqlite") as opened:
        yield opened


def test_a_jpeg_export_gets_all_four_layers_each_of_which_reads_back(data_dir, key, signer, anchors, store):
    source = (data_dir / "coffee.jpg").read_bytes()
    result = provmark.label(source, aigc_label=PRODUCER_LABEL, watermark_key=key, signer=signer, store=store,
                            provider="Example AI", system_name="pytest-model", system_version="2.0")
    assert isinstance(result, provmark.LabelResult)
    assert provmark.sniff_image_format(result.bytes) is provmark.ImageFormat.JPEG
    assert re.fullmatch("[0-9A-F]{32}", result.content_id)
    before = datetime.datetime.now(datetime.timezone.utc)
    assert abs((before - result.created).total_seconds()) < 60

    # 1. The visible label, in the corner.
    assert result.visible_label.ink_height >= 0.05 * 400
    # 2. The AIGC label: ProduceID is the content identifier, the propagation elements copied from the producer.
    assert result.aigc == provmark.AigcLabel(content_producer=PRODUCER, produce_id=result.content_id,
                                             content_propagator=PRODUCER, propagate_id=result.content_id)
    assert [found.label for found in provmark.read_aigc_labels(result.bytes)] == [result.aigc]
    # 3. The watermark: its payload is the start of the content identifier.
    assert result.watermark == provmark.Payload.from_hex(result.content_id[:16])
    assert provmark.detect_encoded(result.bytes, key).payload == result.watermark
    # 4. The manifest, trusted, naming the watermark; kept in the store under the payload.
    report = provmark.inspect(result.bytes, trust_anchors=anchors)
    assert report.state is provmark.ValidationState.TRUSTED and report.active_manifest == result.manifest_label
    assert report.manifests[-1].claim_generator == "pytest-model"
    assert report.manifests[-1].soft_bindings[0].value == bytes(result.watermark)
    kept = store.find(result.watermark)
    assert kept.active_manifest == result.manifest_label and kept.media_type == "image/jpeg"
    assert kept.store in result.bytes or len(kept.store) > 1000


def test_pixels_from_numpy_and_pil_are_labelled_and_encoded_as_the_format_asked(photo, key):
    before = photo.copy()
    png = provmark.label(photo, format=provmark.ImageFormat.PNG, aigc_label=PRODUCER_LABEL, watermark_key=key)
    assert np.array_equal(photo, before)  # the caller's pixels are never changed
    assert provmark.sniff_image_format(png.bytes) is provmark.ImageFormat.PNG
    assert provmark.detect_encoded(png.bytes, key).payload == png.watermark
    assert png.manifest_label == ""  # no signer, no manifest

    jpeg = provmark.label(Image.fromarray(photo), format="jpeg", visible_label=False, aigc_label=False)
    assert provmark.sniff_image_format(jpeg.bytes) is provmark.ImageFormat.JPEG
    assert jpeg.visible_label is None and jpeg.aigc is None and jpeg.watermark is None
    assert provmark.read_aigc_labels(jpeg.bytes) == []


def test_visible_label_options_and_the_source_type_are_honoured(data_dir, signer):
    options = provmark.VisibleLabelOptions(position=provmark.LabelPosition.TOP_LEFT, text_height=0.08)
    result = provmark.label((data_dir / "chelsea.png").read_bytes(), visible_label=options, aigc_label=PRODUCER_LABEL,
                            signer=signer,
                            source_type=provmark.DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA)
    assert result.visible_label.x < 50 and result.visible_label.y < 50
    assert result.visible_label.ink_height >= 0.08 * min(provmark.decode_image(result.bytes).shape[:2])
    manifest = provmark.inspect(result.bytes).manifests[-1]
    assert manifest.digital_source_type == provmark.DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA.value
    disclosure = [a for a in manifest.assertions if "disclosure" in a]
    assert disclosure, manifest.assertions


def test_label_file_writes_atomically_and_leaves_nothing_on_failure(data_dir, tmp_path, key):
    out = tmp_path / "out.jpg"
    result = provmark.label_file(data_dir / "rocket.jpg", out, aigc_label=PRODUCER_LABEL, watermark_key=key)
    assert out.read_bytes() == result.bytes
    assert provmark.detect_file(out, key).payload == result.watermark
    failed = tmp_path / "failed.jpg"
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.label_file(data_dir / "rocket.jpg", failed)  # the default AIGC label has no ContentProducer
    assert not failed.exists()
    with pytest.raises(provmark.IoError):
        provmark.label_file(tmp_path / "missing.jpg", failed, aigc_label=False)


def test_the_key_signer_and_store_stay_alive_while_the_call_runs(data_dir, tmp_path, key, signer):
    # The signing callback runs inside label(): it closes the store and drops every reference to it, which
    # must not pull the store from under the call.
    holder = {"store": provmark.ManifestStore.open(tmp_path / "m.sqlite")}

    def sign_and_close(to_be_signed: bytes) -> bytes:
        holder.pop("store").close()
        return signer.sign(to_be_signed)

    remote = provmark.Signer.from_callback("es256", signer.certificate_chain, sign_and_close)
    result = provmark.label((data_dir / "coffee.jpg").read_bytes(), aigc_label=PRODUCER_LABEL,
                            watermark_key=provmark.WatermarkKey.from_bytes(key.to_bytes()), signer=remote,
                            store=holder["store"])
    assert "store" not in holder
    with provmark.ManifestStore.open(tmp_path / "m.sqlite") as reopened:
        assert reopened.find(result.watermark).active_manifest == result.manifest_label


def test_bad_options_raise_typed_errors(data_dir, photo, key, store):
    jpeg = (data_dir / "coffee.jpg").read_bytes()
    with pytest.raises(provmark.InvalidArgumentError, match="signer"):
        provmark.label(jpeg, aigc_label=PRODUCER_LABEL, store=store)
    with pytest.raises(provmark.InvalidArgumentError, match="format"):
        provmark.label(photo, aigc_label=PRODUCER_LABEL)
    with pytest.raises(provmark.InvalidArgumentError, match="format"):
        provmark.label(jpeg, format="png", aigc_label=PRODUCER_LABEL)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.label(jpeg, aigc_label=PRODUCER_LABEL, jpeg_quality=101)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.label(jpeg, aigc_label=provmark.AigcLabel(label="9", content_producer=PRODUCER))
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.label(jpeg, aigc_label=PRODUCER_LABEL, source_type="http://example.com/handmade")
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.label(b"no image", aigc_label=PRODUCER_LABEL)
    with pytest.raises(TypeError, match="watermark_key"):
        provmark.label(jpeg, aigc_label=PRODUCER_LABEL, watermark_key="secret")
    with pytest.raises(TypeError, match="aigc_label"):
        provmark.label(jpeg, aigc_label={"ContentProducer": PRODUCER})
    with pytest.raises(TypeError, match="VisibleLabelOptions"):
        provmark.label(jpeg, visible_label=None, aigc_label=PRODUCER_LABEL)
    store.close()
    with pytest.raises(provmark.InvalidArgumentError, match="closed"):
        provmark.label(jpeg, aigc_label=PRODUCER_LABEL, store=store)


def test_propagation_fills_the_platform_elements_and_resigns_signed_files(data_dir, signer, anchors):
    unsigned = provmark.label((data_dir / "coffee.jpg").read_bytes(), visible_label=False,
                              aigc_label=PRODUCER_LABEL).bytes
    result = provmark.propagate(unsigned, propagator="PLATFORM", propagate_id="P-1", label_value="2")
    assert isinstance(result, provmark.PropagateResult) and result.manifest_label == ""
    assert result.aigc.label == "2" and result.aigc.content_producer == PRODUCER
    assert (result.aigc.content_propagator, result.aigc.propagate_id) == ("PLATFORM", "P-1")
    assert [found.label for found in provmark.read_aigc_labels(result.bytes)] == [result.aigc]
    assert re.fullmatch("[0-9A-F]{32}", provmark.propagate(unsigned, propagator="PLATFORM").aigc.propagate_id)

    signed = provmark.label((data_dir / "coffee.jpg").read_bytes(), visible_label=False, aigc_label=PRODUCER_LABEL,
                            signer=signer)
    with pytest.raises(provmark.InvalidArgumentError, match="signer"):
        provmark.propagate(signed.bytes, propagator="PLATFORM")
    resigned = provmark.propagate(signed.bytes, propagator="PLATFORM", signer=signer, provider="Platform")
    report = provmark.inspect(resigned.bytes, trust_anchors=anchors)
    assert report.state is provmark.ValidationState.TRUSTED and report.active_manifest == resigned.manifest_label
    parent, = report.manifests[-1].ingredients
    assert parent.relationship == "parentOf" and parent.active_manifest == signed.manifest_label
    assert json.loads(report.to_json())["active_manifest"] == resigned.manifest_label


def test_propagation_errors_are_typed(data_dir):
    jpeg = (data_dir / "coffee.jpg").read_bytes()
    with pytest.raises(provmark.InvalidArgumentError, match="label"):
        provmark.propagate(jpeg, propagator="PLATFORM")  # no AIGC label and no label_value
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.propagate(jpeg, propagator="", label_value="1")
    with pytest.raises(TypeError):
        provmark.propagate(jpeg)  # propagator is required
    with pytest.raises(provmark.MalformedInputError):
        provmark.propagate(jpeg[:500], propagator="PLATFORM", label_value="1")


def test_an_mp3_export_gets_the_audible_cue_the_aigc_tag_the_watermark_and_a_manifest(data_dir, tmp_path, signer,
                                                                                      anchors):
    mp3_path = tmp_path / "music.mp3"  # a real recording (tests/data) played twice (16 s), as MP3 by Debian's ffmpeg
    clip = str(data_dir / "drascula_track1_8s.ogg")
    subprocess.run(["ffmpeg", "-v", "error", "-i", clip, "-i", clip, "-filter_complex", "concat=n=2:v=0:a=1",
                    "-b:a", "128k", str(mp3_path)], check=True)
    mp3 = mp3_path.read_bytes()
    key = provmark.WatermarkKey.parse((data_dir / "test-watermark.key").read_bytes())  # same answer every run
    result = provmark.label(mp3, aigc_label=PRODUCER_LABEL, signer=signer, watermark_key=key)
    assert result.media_type == "audio/mpeg"
    assert result.watermark is not None
    assert result.audible_label.label_frames > 0 and result.audible_label.content_offset > 0
    assert [found.carrier for found in provmark.read_aigc_labels(result.bytes)] == ["id3"]
    report = provmark.verify(result.bytes, trust_anchors=anchors, keyring={"acme": key})
    assert report.verdict is provmark.Verdict.CONFIRMED_AI and report.format == "audio/mpeg"
    assert report.watermark.payload == result.watermark
    assert isinstance(report.watermark.detection, provmark.AudioDetectResult)
    assert report.watermark.detection.time_scale == 1.0

    untouched = provmark.label(mp3, aigc_label=PRODUCER_LABEL, audible_label=False)
    assert untouched.audible_label is None
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.label(b"not audio at all", aigc_label=PRODUCER_LABEL)
