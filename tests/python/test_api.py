# SPDX-License-Identifier: Apache-2.0
"""The package's surface: everything exported exists and is documented, and the type stubs match the extension."""

import ast
import inspect
import pathlib
import re

import provmark
from provmark import _provmark

PACKAGE_DIR = pathlib.Path(provmark.__file__).parent


def public_members(cls):
    return [(name, member) for name, member in vars(cls).items() if not name.startswith("_")]


def description(value) -> str:
    """The docstring without the signature lines pybind11 puts first ("name(arg: type) -> type")."""
    doc = (value.__doc__ or "").strip()
    return "\n".join(line for line in doc.splitlines() if not re.match(r"^\w*\(.*\) -> .*$", line)).strip()


def test_every_exported_name_exists_and_is_documented():
    missing = [name for name in provmark.__all__ if not hasattr(provmark, name)]
    assert not missing
    undocumented = []
    for name in provmark.__all__:
        value = getattr(provmark, name)
        if callable(value) and not description(value):
            undocumented.append(name)
        if inspect.isclass(value):
            for member_name, member in public_members(value):
                if isinstance(member, property) or callable(getattr(member, "__func__", member)):
                    if not description(getattr(member, "__func__", member)):
                        undocumented.append(f"{name}.{member_name}")
    assert not undocumented


def test_the_docstrings_of_the_extension_say_more_than_the_signature():
    for name in ("embed_into", "detect", "decode_image", "sign", "inspect", "read_aigc_labels", "draw_visible_label",
                 "label", "propagate", "verify", "sign_sidecar"):
        doc = getattr(provmark, name).__doc__
        assert len(doc.split("\n", 1)[1].strip()) > 40, name


def stub_names(tree):
    names = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
    return names


def test_the_stub_declares_exactly_what_the_extension_has():
    stub = ast.parse((PACKAGE_DIR / "_provmark.pyi").read_text())
    declared = {name for name in stub_names(stub) if not name.startswith("_")}
    actual = {name for name in dir(_provmark) if not name.startswith("_")}
    assert declared == actual
    for name, node in stub_names(stub).items():
        if isinstance(node, ast.ClassDef):
            members = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            members |= {n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
            cls = getattr(_provmark, name)
            assert {m for m in members if not m.startswith("_")} == {m for m, _ in public_members(cls)}, name


def test_the_package_is_marked_as_typed():
    assert (PACKAGE_DIR / "py.typed").exists()
    assert provmark.__version__.count(".") == 2
