# SPDX-License-Identifier: Apache-2.0
"""C2PA from Python: Signer (PEM and callback), the Manifest builder, sign() and inspect()."""

import datetime
import json
import struct

import pytest

import provmark

PAYLOAD = provmark.Payload.from_hex("0123456789abcdef")


def test_signers_come_from_pem_text_or_files_and_take_the_algorithm_of_their_key(pki, signer):
    assert signer.alg is provmark.SigningAlg.ES256
    assert len(signer.certificate_chain) == 1  # the self-signed root is dropped
    assert signer.certificate_chain[0][:1] == b"\x30"  # DER
    assert signer.reserve_size > len(signer.certificate_chain[0])
    ed = provmark.Signer.from_pem((pki / "signer-ed25519-chain.pem").read_bytes(),
                                  (pki / "signer-ed25519.key").read_text())
    assert ed.alg == "ed25519" and len(ed.sign(b"claim")) == 64
    assert repr(ed) == "Signer(alg=ed25519, certificates=1)"
    with pytest.raises(provmark.BadKeyError):
        provmark.Signer.from_pem((pki / "signer-es256-chain.pem").read_text(), (pki / "signer-ed25519.key").read_text())
    with pytest.raises(provmark.IoError):
        provmark.Signer.from_pem_files(pki / "missing.pem", pki / "signer-es256.key")
    with pytest.raises(TypeError):
        provmark.Signer()


def test_the_manifest_builder_chains_and_shows_what_it_will_assert():
    manifest = provmark.Manifest("pytest", "1.0")
    assert manifest.source_type is provmark.DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA
    assert manifest.watermark_payload is None and manifest.custom_assertions == ()
    same = (manifest.created(provmark.DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA)
            .watermarked(PAYLOAD).add_cbor_assertion("org.example.note", b"\x63abc"))
    assert same is manifest
    assert manifest.generator == "pytest" and manifest.generator_version == "1.0"
    assert manifest.source_type.value.endswith("/compositeWithTrainedAlgorithmicMedia")
    assert manifest.watermark_payload == PAYLOAD and manifest.watermark_alg == provmark.IMAGE_WATERMARK_ALG
    assert manifest.custom_assertions == (("org.example.note", b"\x63abc"),)
    assert "0123456789abcdef" in repr(manifest)
    with pytest.raises(provmark.InvalidArgumentError):
        manifest.created("http://example.com/not-a-source-type")


def test_a_signed_file_inspects_as_trusted_with_the_watermark_as_soft_binding(data_dir, key, signer, anchors):
    asset = provmark.embed_encoded((data_dir / "coffee.jpg").read_bytes(), PAYLOAD, key)
    signed = provmark.sign(asset, provmark.Manifest("pytest").watermarked(PAYLOAD), signer)
    assert provmark.detect_encoded(signed, key).payload == PAYLOAD  # signing kept the pixels

    report = provmark.inspect(signed, trust_anchors=anchors)
    assert report.has_manifest and report.state is provmark.ValidationState.TRUSTED
    assert report.failure == ()
    assert "assertion.dataHash.match" in [s.code for s in report.success]
    active = report.manifests[-1]
    assert active.label == report.active_manifest and active.claim_generator == "pytest"
    assert active.actions == ("c2pa.created", "c2pa.watermarked")
    assert active.signature_alg == "Es256" and active.signature_common_name == "provmark python es256 signer"
    assert active.soft_bindings == (provmark.SoftBinding(provmark.IMAGE_WATERMARK_ALG, bytes(PAYLOAD)),)

    as_json = json.loads(report.to_json())
    assert as_json["validation_state"] == "Trusted" and as_json["active_manifest"] == report.active_manifest

    assert provmark.inspect(signed).state is provmark.ValidationState.VALID  # nobody trusted
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=400)
    assert provmark.inspect(signed, trust_anchors=anchors, at=later).state is provmark.ValidationState.INVALID


def test_tampered_pixels_make_the_report_invalid(data_dir, signer, anchors):
    signed = bytearray(provmark.sign((data_dir / "coffee.jpg").read_bytes(), provmark.Manifest("pytest"), signer))
    signed[-10] ^= 1
    report = provmark.inspect(signed, trust_anchors=anchors)
    assert report.state is provmark.ValidationState.INVALID
    assert "assertion.dataHash.mismatch" in [s.code for s in report.failure]


def test_a_file_without_manifest_is_an_answer_and_junk_an_error(data_dir, signer):
    report = provmark.inspect((data_dir / "chelsea.png").read_bytes())
    assert not report.has_manifest and report.manifests == ()
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.inspect(b"no image at all")
    signed = provmark.sign((data_dir / "chelsea.png").read_bytes(), provmark.Manifest("pytest"), signer)
    with pytest.raises(provmark.MalformedInputError):
        provmark.inspect(signed, trust_anchors="-----BEGIN CERTIFICATE-----\nxx")


def test_a_python_callback_signs_like_the_key_it_wraps(data_dir, signer, anchors):
    calls = []

    def remote_sign(to_be_signed: bytes) -> bytes:
        calls.append(len(to_be_signed))
        return signer.sign(to_be_signed)

    remote = provmark.Signer.from_callback("es256", list(signer.certificate_chain), remote_sign)
    assert remote.alg is provmark.SigningAlg.ES256
    signed = provmark.sign((data_dir / "chelsea.png").read_bytes(), provmark.Manifest("pytest"), remote)
    assert len(calls) == 1
    assert provmark.inspect(signed, trust_anchors=anchors.encode()).state is provmark.ValidationState.TRUSTED


def test_an_exception_in_the_callback_comes_out_of_sign_unchanged(data_dir, signer):
    class HsmUnavailable(Exception):
        pass

    def failing(to_be_signed: bytes) -> bytes:
        raise HsmUnavailable("hsm offline")

    remote = provmark.Signer.from_callback(provmark.SigningAlg.ES256, signer.certificate_chain, failing)
    with pytest.raises(HsmUnavailable, match="hsm offline"):
        provmark.sign((data_dir / "coffee.jpg").read_bytes(), provmark.Manifest("pytest"), remote)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.Signer.from_callback("es999", signer.certificate_chain, failing)


def png_chunk(png: bytes, chunk_type: bytes) -> bytes:
    offset = 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        if kind == chunk_type:
            return png[offset + 8:offset + 8 + length]
        offset += 12 + length
    raise AssertionError(f"no {chunk_type!r} chunk")


def test_a_sidecar_store_is_inspected_against_its_asset(data_dir, signer, anchors):
    original = (data_dir / "chelsea.png").read_bytes()
    signed = provmark.sign(original, provmark.Manifest("pytest"), signer)
    store = png_chunk(signed, b"caBX")
    embedded = provmark.inspect(signed, trust_anchors=anchors)
    sidecar = provmark.inspect_sidecar(store, signed, trust_anchors=anchors)
    assert sidecar.state is provmark.ValidationState.TRUSTED
    assert sidecar.active_manifest == embedded.active_manifest and sidecar.manifests == embedded.manifests
    # The hard binding covers the signed file, not the original.
    report = provmark.inspect_sidecar(store, original, trust_anchors=anchors)
    assert report.state is provmark.ValidationState.INVALID
    assert [s.code for s in report.failure] == ["assertion.dataHash.mismatch"]


def test_strings_that_are_not_utf8_come_back_with_replacement_characters(data_dir, signer):
    # Manifest strings are untrusted bytes in other people's files; here a generator given as bytes makes one.
    manifest = provmark.Manifest(b"generator \xff\xfe")
    assert manifest.generator == "generator \ufffd\ufffd"
    report = provmark.inspect(provmark.sign((data_dir / "coffee.jpg").read_bytes(), manifest, signer))
    assert report.manifests[-1].claim_generator == "generator \ufffd\ufffd"
    assert "generator \ufffd\ufffd" in report.to_json()
