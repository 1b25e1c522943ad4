# SPDX-License-Identifier: Apache-2.0
"""verify() from Python: labelled, stripped and unlabelled uploads, the keyring and store arguments, the
report as dataclasses and JSON, typed errors, and the GIL released while it works."""

import json
import threading
import time

import pytest

import provmark

PRODUCER = provmark.AigcLabel(content_producer="001191110102MAD55U9H0F10002")


@pytest.fixture()
def store(tmp_path):
    with provmark.ManifestStore.open(tmp_path / "provider" / "manifests.sqlite") as opened:
        yield opened


@pytest.fixture()
def labelled(data_dir, key, signer, store) -> provmark.LabelResult:
    return provmark.label((data_dir / "coffee.jpg").read_bytes(), aigc_label=PRODUCER, watermark_key=key,
                          signer=signer, store=store)


def strip_metadata(jpeg: bytes) -> bytes:
    """What a re-encoding upload pipeline does: pixels only, no metadata."""
    return provmark.encode_jpeg(provmark.decode_image(jpeg), quality=85)


def codes(report: provmark.VerifyReport) -> list[str]:
    return [c.code for c in report.contradictions]


def test_a_stripped_file_is_confirmed_through_its_watermark_and_its_manifest_recovered(labelled, key, anchors,
                                                                                       store):
    stripped = strip_metadata(labelled.bytes)
    assert provmark.read_aigc_labels(stripped) == [] and not provmark.inspect(stripped).has_manifest

    report = provmark.verify(stripped, keyring={"acme": key}, trust_anchors=anchors, store=store)
    assert isinstance(report, provmark.VerifyReport)
    assert report.verdict is provmark.Verdict.CONFIRMED_AI
    assert report.format == "image/jpeg"
    assert not report.manifest.has_manifest and report.aigc_labels == ()
    assert report.watermark.provider == "acme" and report.watermark.payload == labelled.watermark
    assert report.watermark.detection.found and report.watermark.false_alarm_probability < 1e-9
    recovered = report.recovered_manifest
    assert recovered.active_manifest == labelled.manifest_label
    # Its signature holds; only its hard binding fails, the bytes being new.
    assert [s.code for s in recovered.failure] == ["assertion.dataHash.mismatch"]
    assert "metadata_stripped" in codes(report) and "recovered" in report.summary

    as_json = json.loads(report.to_json())
    assert as_json["verdict"] == "confirmed_ai" and as_json["evidence"]["manifest"] is None
    assert as_json["evidence"]["recovered_manifest"]["active_manifest"] == labelled.manifest_label
    assert as_json["evidence"]["watermark"]["payload"] == labelled.watermark.to_hex()


def test_the_labelled_file_is_confirmed_by_all_layers_without_contradictions(labelled, key, anchors, store,
                                                                            tmp_path):
    report = provmark.verify(labelled.bytes, keyring=[("acme", key)], trust_anchors=anchors, store=store)
    assert report.verdict is provmark.Verdict.CONFIRMED_AI
    assert report.manifest.state is provmark.ValidationState.TRUSTED and report.manifest_declares_ai
    assert [found.label for found in report.aigc_labels] == [labelled.aigc]
    assert report.watermark.payload == labelled.watermark
    assert report.recovered_manifest is None  # the embedded manifest already names the watermark
    assert report.contradictions == ()
    # The same from a path, as str or pathlib.Path.
    path = tmp_path / "upload.jpg"
    path.write_bytes(labelled.bytes)
    for asset in (path, str(path)):
        again = provmark.verify(asset, keyring=[("acme", key)], trust_anchors=anchors)
        assert again.verdict is report.verdict and again.watermark == report.watermark


def test_an_unlabelled_image_shows_no_evidence(data_dir, key, store):
    report = provmark.verify((data_dir / "chelsea.png").read_bytes(), keyring={"acme": key}, store=store)
    assert report.verdict is provmark.Verdict.NO_EVIDENCE and report.format == "image/png"
    assert not report.manifest.has_manifest and report.watermark is None and report.recovered_manifest is None
    assert report.aigc_labels == () and report.contradictions == ()
    assert json.loads(report.to_json())["notice"] is None


def test_a_key_outside_the_keyring_finds_nothing_and_a_declaration_or_label_2_means_possibly(labelled, data_dir):
    stripped = strip_metadata(labelled.bytes)
    assert provmark.verify(stripped, keyring={"other": provmark.WatermarkKey.generate()}).verdict is \
        provmark.Verdict.NO_EVIDENCE
    assert provmark.verify(stripped).watermark is None  # an empty keyring tries no key
    jpeg = (data_dir / "coffee.jpg").read_bytes()
    assert provmark.verify(jpeg, user_declared_ai=True).verdict is provmark.Verdict.POSSIBLY_AI
    label_3 = provmark.write_aigc_label(jpeg, provmark.AigcLabel(label="3", content_producer="X", produce_id="1"))
    report = provmark.verify(label_3)
    assert report.verdict is provmark.Verdict.SUSPECTED_AI and "label_without_manifest" in codes(report)


def test_verdict_members_are_the_cpp_names():
    assert [v.value for v in provmark.Verdict] == ["confirmed_ai", "possibly_ai", "suspected_ai", "no_evidence"]
    assert provmark.Verdict("no_evidence") is provmark.Verdict.NO_EVIDENCE


def test_unreadable_files_and_bad_arguments_raise_typed_errors(data_dir, tmp_path, key, store, labelled):
    jpeg = (data_dir / "coffee.jpg").read_bytes()
    with pytest.raises(provmark.MalformedInputError):
        provmark.verify(labelled.bytes, trust_anchors="-----BEGIN CERTIFICATE-----\nxx")
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.verify(b"no image at all")
    with pytest.raises(provmark.MalformedInputError):
        provmark.verify(jpeg[:200])
    with pytest.raises(provmark.IoError):
        provmark.verify(tmp_path / "missing.jpg")
    with pytest.raises(provmark.LimitExceededError):
        provmark.verify(jpeg, limits=provmark.Limits(max_file_bytes=100, max_pixels=1000), keyring={"acme": key})
    with pytest.raises(TypeError, match="keyring"):
        provmark.verify(jpeg, keyring=[key])
    with pytest.raises(TypeError, match="keyring key"):
        provmark.verify(jpeg, keyring={"acme": "not a key"})
    with pytest.raises(TypeError, match="store"):
        provmark.verify(jpeg, store="manifests.sqlite")
    store.close()
    with pytest.raises(provmark.InvalidArgumentError, match="closed"):
        provmark.verify(jpeg, store=store)


def test_python_code_runs_while_another_thread_verifies(photo, key):
    # An unmarked image makes the detector search every candidate for each key: the slow path.
    upload = provmark.encode_png(photo)
    keyring = [(f"provider {i}", provmark.WatermarkKey.generate()) for i in range(2)] + [("acme", key)]
    spans, reports = [], []

    def timed_verify():
        start = time.perf_counter()
        reports.append(provmark.verify(upload, keyring=keyring))
        spans.append((start, time.perf_counter()))

    worker = threading.Thread(target=timed_verify)
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    (start, end), = spans
    margin = (end - start) / 10
    inside = [t for t in ticks if start + margin < t < end - margin]
    # Were the GIL held during verify(), the loop above could not run at all in that interval.
    assert inside, f"the main thread did not run during a {end - start:.3f} s verify(): the GIL was held"
    assert reports[0].verdict is provmark.Verdict.NO_EVIDENCE
