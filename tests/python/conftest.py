# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures of the Python binding tests. Run through CTest (tests/python/CMakeLists.txt), which puts the
built package on PYTHONPATH, or by hand: PYTHONPATH=build/bindings/python /usr/bin/python3 -m pytest tests/python"""

import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import provmark

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> pathlib.Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def key() -> provmark.WatermarkKey:
    return provmark.WatermarkKey.generate()


@pytest.fixture()
def photo() -> np.ndarray:
    """coffee.jpg as a fresh, writable 400x600x3 array."""
    return provmark.decode_image((DATA_DIR / "coffee.jpg").read_bytes())


def _openssl(*args: str, cwd: pathlib.Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A test root CA and two C2PA signers it issued (P-256 and Ed25519), made with the openssl command:
    root.pem, signer-<kind>-chain.pem (signer and root), signer-<kind>.key, for kind es256 and ed25519."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    d = tmp_path_factory.mktemp("pki")
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key",
             "-out", "root.pem", "-days", "30", "-subj", "/CN=provmark python test root/O=provmark tests",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-addext", "subjectKeyIdentifier=hash", cwd=d)
    (d / "signer.ext").write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                  "extendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36\n"
                                  "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n")
    for serial, (kind, newkey) in enumerate({"es256": ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
                                             "ed25519": ["ed25519"]}.items(), start=2):
        _openssl("req", "-new", "-newkey", *newkey, "-nodes", "-keyout", f"signer-{kind}.key",
                 "-out", f"signer-{kind}.csr", "-subj", f"/CN=provmark python {kind} signer/O=provmark tests", cwd=d)
        _openssl("x509", "-req", "-in", f"signer-{kind}.csr", "-CA", "root.pem", "-CAkey", "root.key",
                 "-set_serial", str(serial), "-days", "30", "-extfile", "signer.ext", "-out", f"signer-{kind}.pem",
                 cwd=d)
        # End-entity first, then the root (which Signer drops: c2pa-rs wants the chain without it).
        chain = (d / f"signer-{kind}.pem").read_text() + (d / "root.pem").read_text()
        (d / f"signer-{kind}-chain.pem").write_text(chain)
    return d


@pytest.fixture(scope="session")
def signer(pki: pathlib.Path) -> provmark.Signer:
    """The P-256 signer of the test PKI."""
    return provmark.Signer.from_pem_files(pki / "signer-es256-chain.pem", pki / "signer-es256.key")


@pytest.fixture(scope="session")
def anchors(pki: pathlib.Path) -> str:
    """The test root, as the PEM text trust_anchors takes."""
    return (pki / "root.pem").read_text()
