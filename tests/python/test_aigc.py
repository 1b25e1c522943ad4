# SPDX-License-Identifier: Apache-2.0
"""The GB 45438 AIGC metadata label from Python: AigcLabel, its JSON, its Annex E problems, and writing and
reading it in JPEG and PNG files."""

import json
import zlib

import numpy as np
import pytest

import provmark

PRODUCER = "001191110102MAD55U9H0F10002"
LABEL = provmark.AigcLabel(content_producer=PRODUCER, produce_id="ID-0001", content_propagator="P",
                           propagate_id="ID-0002")


def test_a_label_has_the_seven_annex_e_elements_and_label_1_by_default():
    label = provmark.AigcLabel()
    assert label.label == "1"
    assert [f for f in label.__dataclass_fields__] == [
        "label", "content_producer", "produce_id", "reserved_code1", "content_propagator", "propagate_id",
        "reserved_code2"]
    with pytest.raises(TypeError):
        provmark.AigcLabel(label=1)
    with pytest.raises(AttributeError):
        label.label = "2"  # frozen


def test_the_json_is_compact_in_annex_e_order_and_both_nestings_parse_back():
    inner = LABEL.to_json()
    assert inner.startswith('{"Label":"1","ContentProducer":"' + PRODUCER + '","ProduceID":"ID-0001"')
    assert " " not in inner
    assert list(json.loads(inner)) == ["Label", "ContentProducer", "ProduceID", "ReservedCode1",
                                       "ContentPropagator", "PropagateID", "ReservedCode2"]
    wrapped = LABEL.to_wrapped_json()
    assert json.loads(wrapped) == {"AIGC": json.loads(inner)}
    assert provmark.parse_aigc_json(inner) == LABEL
    assert provmark.parse_aigc_json(wrapped.encode()) == LABEL


def test_parsing_is_lenient_about_keys_and_strict_about_types():
    label = provmark.parse_aigc_json('{"ContentProducer":"X","Unknown":5}')
    assert label == provmark.AigcLabel(label="", content_producer="X")
    with pytest.raises(provmark.MalformedInputError):
        provmark.parse_aigc_json('{"Label":1}')
    with pytest.raises(provmark.MalformedInputError):
        provmark.parse_aigc_json("[1]")
    with pytest.raises(provmark.LimitExceededError):
        provmark.parse_aigc_json('{"ContentProducer":"' + "x" * (1 << 20) + '"}')


def test_problems_name_what_breaks_annex_e():
    assert provmark.aigc_label_problems(LABEL) == []
    problems = provmark.aigc_label_problems(provmark.AigcLabel(label="4", produce_id="a\\b"))
    assert isinstance(problems, list) and len(problems) == 3
    assert any("Label" in p for p in problems) and any("ContentProducer" in p for p in problems)
    assert any("ProduceID" in p for p in problems)


@pytest.mark.parametrize("name", ["coffee.jpg", "chelsea.png"])
def test_a_written_label_reads_back_from_bytes_and_paths_and_leaves_the_pixels_alone(data_dir, tmp_path, name):
    original = (data_dir / name).read_bytes()
    labelled = provmark.write_aigc_label(original, LABEL)
    assert provmark.sniff_image_format(labelled) == provmark.sniff_image_format(original)
    assert np.array_equal(provmark.decode_image(labelled), provmark.decode_image(original))

    found = provmark.read_aigc_labels(labelled)
    assert found == [provmark.FoundAigcLabel(label=LABEL, carrier="xmp", problems=())]
    path = tmp_path / name
    path.write_bytes(labelled)
    assert provmark.read_aigc_labels(path) == found
    assert provmark.read_aigc_labels(str(path)) == found
    assert provmark.read_aigc_labels(memoryview(labelled)) == found
    assert provmark.read_aigc_labels(original) == []


def test_a_second_write_replaces_the_first(data_dir):
    once = provmark.write_aigc_label((data_dir / "coffee.jpg").read_bytes(), LABEL)
    relabelled = provmark.AigcLabel(label="2", content_producer=PRODUCER, produce_id="ID-0003")
    twice = provmark.write_aigc_label(once, relabelled)
    assert [found.label for found in provmark.read_aigc_labels(twice)] == [relabelled]


def test_labels_in_a_png_text_chunk_are_read_with_their_problems(data_dir):
    png = (data_dir / "chelsea.png").read_bytes()
    text = provmark.AigcLabel(label="7", content_producer="X", produce_id="Y").to_wrapped_json().encode()
    chunk = b"tEXt" + b"AIGC\x00" + text
    after_ihdr = 8 + 25  # the signature, then IHDR (length, type, 13 bytes, CRC)
    with_chunk = (png[:after_ihdr] + (len(text) + 5).to_bytes(4, "big") + chunk + zlib.crc32(chunk).to_bytes(4, "big")
                  + png[after_ihdr:])
    found = provmark.read_aigc_labels(with_chunk)
    assert len(found) == 1 and found[0].carrier == "png-text" and found[0].label.label == "7"
    assert found[0].problems == tuple(provmark.aigc_label_problems(found[0].label)) != ()
    # Writing leaves exactly one label, in XMP.
    assert [f.carrier for f in provmark.read_aigc_labels(provmark.write_aigc_label(with_chunk, LABEL))] == ["xmp"]


def test_bad_labels_and_bad_files_raise_typed_errors(data_dir, tmp_path):
    jpeg = (data_dir / "coffee.jpg").read_bytes()
    with pytest.raises(provmark.InvalidArgumentError, match="ContentProducer"):
        provmark.write_aigc_label(jpeg, provmark.AigcLabel())
    with pytest.raises(provmark.UnsupportedFormatError):
        provmark.read_aigc_labels(b"GIF89a" + bytes(40))
    with pytest.raises(provmark.MalformedInputError):
        provmark.read_aigc_labels(jpeg[:300])
    with pytest.raises(provmark.IoError):
        provmark.read_aigc_labels(tmp_path / "missing.jpg")
    with pytest.raises(provmark.LimitExceededError):
        provmark.read_aigc_labels(data_dir / "coffee.jpg", limits=provmark.Limits(max_file_bytes=1000))
    with pytest.raises(TypeError):
        provmark.write_aigc_label(jpeg, {"label": "1"})
