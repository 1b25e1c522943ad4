# SPDX-License-Identifier: Apache-2.0
"""The examples of bindings/python/README.md run as shown (the lead copies the first into the top README too)."""

import contextlib
import io
import pathlib
import re
import shutil

README = pathlib.Path(__file__).resolve().parents[2] / "bindings" / "python" / "README.md"


def test_the_readme_example_marks_and_reads_a_photo(tmp_path, monkeypatch, data_dir):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "no python example in the README"
    example = blocks[0]
    assert len(example.splitlines()) <= 11
    shutil.copy(data_dir / "rocket.jpg", tmp_path / "photo.jpg")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, str(README), "exec"), {})
    assert out.getvalue().startswith("DetectResult(found=True, payload=Payload(0x0000000020250001)")
    assert (tmp_path / "marked.jpg").stat().st_size > 0


def test_the_readme_pipeline_example_confirms_a_stripped_copy(tmp_path, monkeypatch, data_dir, pki):
    example = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)[1]
    shutil.copy(data_dir / "coffee.jpg", tmp_path / "photo.jpg")
    shutil.copy(pki / "signer-es256-chain.pem", tmp_path / "chain.pem")
    shutil.copy(pki / "signer-es256.key", tmp_path / "signer.key")
    shutil.copy(pki / "root.pem", tmp_path / "root.pem")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile("import provmark\n" + example, str(README), "exec"), {})
    assert out.getvalue() == "confirmed_ai acme True\n"


def test_the_top_readme_shows_the_same_tested_example():
    top = pathlib.Path(__file__).resolve().parents[2] / "README.md"
    shown = re.findall(r"```python\n(.*?)```", top.read_text(), re.S)
    assert shown, "no python example in the top README"
    assert shown[0] == re.findall(r"```python\n(.*?)```", README.read_text(), re.S)[0]


def test_the_readme_audio_example_marks_encodes_and_labels_a_clip(tmp_path, monkeypatch, data_dir):
    example = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)[2]
    shutil.copy(data_dir / "drascula_track1_8s.ogg", tmp_path / "voice.ogg")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    # The key and payload of the first example.
    setup = "import provmark\nkey, payload = provmark.WatermarkKey.generate(), provmark.Payload(0x2025_0001)\n"
    with contextlib.redirect_stdout(out):
        exec(compile(setup + example, str(README), "exec"), {})
    assert out.getvalue() == "0000000020250001\naudio/wav True\n"
