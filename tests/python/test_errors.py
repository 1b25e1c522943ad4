# SPDX-License-Identifier: Apache-2.0
"""provmark::Error reaches Python as the provmark.Error subclass of its code, raised by real failures."""

import pathlib

import pytest

import provmark
from provmark import _provmark


def test_every_error_code_has_its_own_subclass_named_like_the_cpp_code():
    classes = {code: cls for code, cls in provmark._errors.ERROR_CLASSES.items()}
    assert sorted(classes) == sorted(code.value for code in provmark.ErrorCode)
    for code in provmark.ErrorCode:
        cls = classes[code.value]
        assert cls.code is code
        assert issubclass(cls, provmark.Error) and issubclass(cls, Exception)
        assert _provmark.errc_name(code.value) == code.name.lower()
        assert cls.__name__.replace("Error", "").lower() == code.name.replace("_", "").lower()


def test_invalid_arguments_are_value_errors_and_io_errors_are_os_errors():
    assert issubclass(provmark.InvalidArgumentError, ValueError)
    assert issubclass(provmark.IoError, OSError)
    for cls in (provmark.UnsupportedFormatError, provmark.MalformedInputError, provmark.CryptoError,
                provmark.BadKeyError, provmark.LimitExceededError, provmark.InternalError):
        assert not issubclass(cls, (ValueError, OSError))


def test_a_bad_hex_payload_raises_invalid_argument_without_the_code_prefix_in_the_message():
    with pytest.raises(provmark.InvalidArgumentError) as caught:
        provmark.Payload.from_hex("not hex")
    assert caught.value.code == provmark.ErrorCode.INVALID_ARGUMENT == 1
    assert "16 hex digits" in str(caught.value)
    assert not str(caught.value).startswith("invalid_argument")


def test_bytes_that_are_no_image_raise_unsupported_format(key):
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.detect_encoded(b"GIF89a" + bytes(100), key)


def test_a_truncated_jpeg_raises_malformed_input(key, data_dir):
    jpeg = (data_dir / "coffee.jpg").read_bytes()
    with pytest.raises(provmark.MalformedInputError):
        provmark.decode_image(jpeg[:600])


def test_a_missing_file_raises_io_error_which_is_an_os_error(tmp_path, key):
    with pytest.raises(OSError) as caught:
        provmark.detect_file(tmp_path / "missing.jpg", key)
    assert isinstance(caught.value, provmark.IoError)
    assert caught.value.code == provmark.ErrorCode.IO


def test_key_material_of_the_wrong_size_raises_bad_key():
    with pytest.raises(provmark.BadKeyError):
        provmark.WatermarkKey.from_bytes(bytes(31))


def test_an_image_over_the_pixel_limit_raises_limit_exceeded(data_dir):
    with pytest.raises(provmark.LimitExceededError):
        provmark.decode_image((data_dir / "coffee.jpg").read_bytes(), limits=provmark.Limits(max_pixels=1000))


def test_a_signing_callback_returning_a_short_signature_raises_crypto_error(pki, data_dir):
    signer = provmark.Signer.from_pem_files(pki / "signer-es256-chain.pem", pki / "signer-es256.key")
    short = provmark.Signer.from_callback(provmark.SigningAlg.ES256, signer.certificate_chain, lambda tbs: b"\x01" * 10)
    with pytest.raises(provmark.CryptoError):
        provmark.sign((data_dir / "coffee.jpg").read_bytes(), provmark.Manifest("pytest"), short)


def test_errors_are_caught_as_provmark_error(tmp_path):
    with pytest.raises(provmark.Error):
        provmark.WatermarkKey.load(pathlib.Path(tmp_path) / "no.key")


def test_an_error_message_with_a_path_that_is_not_utf8_still_reads(tmp_path, key):
    with pytest.raises(provmark.IoError, match="\ufffd"):
        provmark.detect_file(bytes(tmp_path) + b"/\xff.jpg", key)
