# SPDX-License-Identifier: Apache-2.0
"""`cmake --install` puts the package where Debian's python3 finds it, and the installed copy works.

CTest passes the build folder, cmake, the configured install prefix and PROVMARK_PYTHON_INSTALL_DIR; run by hand
without them, this file is skipped."""

import os
import pathlib
import subprocess
import sys

import pytest

BUILD_DIR = os.environ.get("PROVMARK_BUILD_DIR")
pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="run through CTest (needs PROVMARK_BUILD_DIR)")


def test_the_configured_folder_is_on_the_interpreters_path_for_the_configured_prefix():
    prefix = os.environ["PROVMARK_INSTALL_PREFIX"]
    site_dir = pathlib.Path(prefix) / os.environ["PROVMARK_PYTHON_INSTALL_DIR"]
    if prefix not in ("/usr", "/usr/local"):
        pytest.skip(f"prefix {prefix}: Debian's python3 reads only /usr and /usr/local without PYTHONPATH")
    # sys.path comes from site.py, independently of the sysconfig schemes cmake/site_dir.py reads.
    assert str(site_dir) in sys.path


def test_an_installed_copy_imports_from_the_prefix_and_works(tmp_path, data_dir):
    prefix = tmp_path / "prefix"
    subprocess.run([os.environ["PROVMARK_CMAKE"], "--install", BUILD_DIR, "--component", "python", "--prefix",
                    str(prefix)], check=True, capture_output=True)
    package = prefix / os.environ["PROVMARK_PYTHON_INSTALL_DIR"] / "provmark"
    installed = sorted(p.name for p in package.iterdir())
    assert {"__init__.py", "_errors.py", "_pil.py", "_types.py", "_provmark.pyi", "py.typed"} <= set(installed)
    assert any(name.startswith("_provmark.") and name.endswith(".so") for name in installed)
    check = ("import sys, provmark; key = provmark.WatermarkKey.generate(); "
             "provmark.embed_file(sys.argv[1], 'marked.jpg', provmark.Payload(5), key); "
             "assert provmark.detect_file('marked.jpg', key).payload == provmark.Payload(5); print(provmark.__file__)")
    env = dict(os.environ, PYTHONPATH=str(package.parent))
    out = subprocess.run([sys.executable, "-c", check, str(data_dir / "coffee.jpg")], env=env, cwd=tmp_path,
                         check=True, capture_output=True, text=True).stdout
    assert out.strip() == str(package / "__init__.py")
