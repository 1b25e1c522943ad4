# SPDX-License-Identifier: Apache-2.0
"""WatermarkKey and Payload: construction, conversion, comparison; a key never shows its bytes."""

import copy
import os
import pickle
import stat

import pytest

import provmark


def test_a_key_saved_to_a_file_loads_back_equal_and_the_file_is_private(tmp_path):
    key = provmark.WatermarkKey.generate()
    path = tmp_path / "my.key"
    key.save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert provmark.WatermarkKey.load(path) == key
    assert provmark.WatermarkKey.load(str(path)) == key
    assert provmark.WatermarkKey.parse(path.read_bytes()) == key
    assert provmark.WatermarkKey.parse(key.to_bytes()) == key


def test_keys_compare_by_value_and_are_not_hashable():
    key = provmark.WatermarkKey.generate()
    same = provmark.WatermarkKey.from_bytes(bytearray(key.to_bytes()))
    assert same == key and same is not key
    assert provmark.WatermarkKey.generate() != key
    assert key != "not a key"
    with pytest.raises(TypeError):
        hash(key)


def test_the_repr_of_a_key_shows_its_fingerprint_and_never_its_bytes():
    key = provmark.WatermarkKey.from_bytes(bytes(range(32)))
    text = repr(key) + str(key)
    assert key.fingerprint in text and len(key.fingerprint) == 8
    assert key.to_bytes().hex() not in text and key.to_bytes().hex()[:8] not in text
    assert key.to_bytes() == bytes(range(32)) and provmark.WatermarkKey.size == 32


def test_a_key_cannot_be_pickled_by_accident():
    with pytest.raises(TypeError):
        pickle.dumps(provmark.WatermarkKey.generate())


def test_a_malformed_key_file_raises_bad_key(tmp_path):
    path = tmp_path / "bad.key"
    path.write_text("provmark-watermark-key-v1 nothex\n")
    with pytest.raises(provmark.BadKeyError):
        provmark.WatermarkKey.load(path)


def test_a_payload_converts_between_int_hex_and_bytes():
    payload = provmark.Payload(0x0123456789ABCDEF)
    assert int(payload) == payload.to_int() == 0x0123456789ABCDEF
    assert str(payload) == payload.to_hex() == "0123456789abcdef"
    assert bytes(payload) == bytes.fromhex("0123456789abcdef")
    assert provmark.Payload.from_hex("0123456789ABCDEF") == payload
    assert provmark.Payload.from_bytes(bytes(payload)) == payload
    assert provmark.Payload.from_int(0x0123456789ABCDEF) == payload
    assert repr(payload) == "Payload(0x0123456789abcdef)"
    assert provmark.Payload(2**64 - 1).to_hex() == "f" * 16


def test_payloads_are_hashable_values_that_survive_pickle_and_copy():
    a, b = provmark.Payload(42), provmark.Payload(42)
    assert a == b and hash(a) == hash(b) and len({a, b, provmark.Payload(43)}) == 2
    assert a != 42
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.deepcopy(a) == a


@pytest.mark.parametrize("value", [-1, 2**64])
def test_a_payload_outside_64_bits_is_an_invalid_argument(value):
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.Payload(value)


def test_a_payload_needs_an_integer_and_exactly_eight_bytes():
    with pytest.raises(TypeError):
        provmark.Payload(1.5)
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.Payload.from_bytes(b"1234567")
    with pytest.raises(provmark.InvalidArgumentError):
        provmark.Payload.from_hex("0123")
