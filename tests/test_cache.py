"""The one fingerprint: a change to any code file or input file changes it; nothing else does.

The package's code is every file it ships (modules, catalogues, templates) except bytecode
and hidden files.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmarks import cache, comparison

#: sha256("abc"), FIPS 180-2 appendix B.1.
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the benchmarks package's code files (no bytecode)."""
    copy = tmp_path / "benchmarks"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_sha256_file_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")
    assert cache.sha256_file(path) == ABC_SHA256
    assert cache.optional_file(path) == ABC_SHA256
    assert cache.optional_file(None) == cache.optional_file("") == ""
    assert cache.optional_file(tmp_path / "missing.toml") == ""


def test_sha256_file_sees_a_same_size_rewrite_and_keeps_only_settled_files(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"abc")
    assert cache.sha256_file(path) == ABC_SHA256
    path.write_bytes(b"xyz")  # same size, likely the same clock tick: must not be kept
    assert cache.sha256_file(path) == hashlib.sha256(b"xyz").hexdigest()
    old = time.time_ns() - 10 * cache.SETTLED_NS
    os.utime(path, ns=(old, old))
    assert cache.sha256_file(path) == hashlib.sha256(b"xyz").hexdigest()
    with path.open("r+b") as fh:  # rewritten in place, then given the same time back
        fh.write(b"abc")
    os.utime(path, ns=(old, old))
    # Kept under (inode, size, time), as make and git would: the same key, the kept digest.
    assert cache.sha256_file(path) == hashlib.sha256(b"xyz").hexdigest()
    os.utime(path, ns=(old + 1, old + 1))  # any change of time is a new entry
    assert cache.sha256_file(path) == ABC_SHA256


def test_code_files_are_the_modules_catalogues_and_templates() -> None:
    names = {p.relative_to(cache.PACKAGE).as_posix() for p in cache.code_files()}
    for expected in (
        "cache.py",
        "comparison.py",
        "sources/_ees.py",  # the hand list of the old comparison key missed it
        "indicators.toml",
        "partnerships.example.toml",
        "packs/index.py",
        "templates/pack/index.html.j2",
        "templates/pack/index.css",
        "templates/benchmarks/conf.json",
    ):
        assert expected in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_a_change_to_any_code_file_changes_the_code_digest(package: Path) -> None:
    """Every file the package ships (modules, catalogues, templates, styles, scripts)."""
    first = cache.code_digest(package)
    files = [p for p in package.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".py", ".toml", ".j2", ".css", ".js", ".json"}
    assert len(files) > 30
    unchanged = []
    for path in files:
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        if cache.code_digest(package) == first:
            unchanged.append(path.name)
        path.write_bytes(original)
    assert unchanged == []
    assert cache.code_digest(package) == first  # restored: the same digest again


def test_a_new_or_removed_code_file_changes_the_code_digest(package: Path) -> None:
    first = cache.code_digest(package)
    (package / "sources" / "new_source.py").write_text('"""A new reader."""\n')
    assert cache.code_digest(package) != first
    (package / "sources" / "new_source.py").unlink()
    assert cache.code_digest(package) == first
    (package / "sources" / "_ees.py").unlink()
    assert cache.code_digest(package) != first


def test_a_renamed_code_file_changes_the_code_digest(package: Path) -> None:
    first = cache.code_digest(package)
    (package / "groups.py").rename(package / "groupings.py")
    assert cache.code_digest(package) != first


def test_nothing_but_code_changes_the_code_digest(package: Path, tmp_path: Path) -> None:
    first = cache.code_digest(package)
    module = package / "comparison.py"
    os.utime(module, (1_000_000_000, 1_000_000_000))  # modification time
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "comparison.cpython-311.pyc").write_bytes(b"bytecode")
    (package / "sources" / "__pycache__").mkdir(exist_ok=True)
    (package / "sources" / "__pycache__" / "_ees.cpython-311.pyc").write_bytes(b"bytecode")
    (package / ".comparison.py.swp").write_text("an editor's swap file\n")
    (package / "templates" / ".DS_Store").write_text("a file manager's note\n")
    assert cache.code_digest(package) == first
    moved = shutil.move(package, tmp_path / "elsewhere" / "benchmarks")  # another folder
    assert cache.code_digest(Path(moved)) == first


def test_a_library_version_changes_the_code_digest(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cache.code_digest(package)
    real = importlib.metadata.version

    def newer_polars(name: str) -> str:
        return "99.0.0" if name == "polars" else real(name)

    monkeypatch.setattr(importlib.metadata, "version", newer_polars)
    assert cache.code_digest(package) != first


def test_the_code_fingerprint_is_the_installed_packages_digest_once_per_process() -> None:
    assert cache.code_fingerprint() == cache.code_digest(cache.PACKAGE)
    assert cache.code_fingerprint() is cache.code_fingerprint()  # computed once


def test_fingerprint_follows_inputs_and_parameters_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inputs = {"csww": "a" * 64, "las": "b" * 64}
    key = cache.fingerprint(inputs, result="panel", format=1)
    assert len(key) == 64 and int(key, 16) >= 0
    assert cache.fingerprint(dict(reversed(inputs.items())), result="panel", format=1) == key
    assert cache.fingerprint(inputs, format=1, result="panel") == key
    assert cache.fingerprint({**inputs, "las": "c" * 64}, result="panel", format=1) != key
    assert cache.fingerprint({"csww": "a" * 64}, result="panel", format=1) != key
    assert cache.fingerprint({**inputs, "sn2025": "d" * 64}, result="panel", format=1) != key
    assert cache.fingerprint(inputs, result="panel", format=2) != key
    assert cache.fingerprint(inputs, result="comparison", format=1) != key
    # a parameter is not an input: the same text in either place gives different keys
    assert cache.fingerprint({"group": "sn2025"}) != cache.fingerprint(group="sn2025")
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "other code")
    assert cache.fingerprint(inputs, result="panel", format=1) != key


def test_an_input_file_counts_by_its_content_not_its_name_or_time(tmp_path: Path) -> None:
    path = tmp_path / "workforce.csv"
    path.write_text("time_period,la\n2025,Leeds\n", encoding="utf-8")
    first = cache.fingerprint({"csww": cache.sha256_file(path)})
    os.utime(path, (1_000_000_000, 1_000_000_000))
    moved = path.rename(tmp_path / "renamed.csv")
    assert cache.fingerprint({"csww": cache.sha256_file(moved)}) == first
    moved.write_text("time_period,la\n2025,Leedz\n", encoding="utf-8")  # one byte changed
    assert cache.fingerprint({"csww": cache.sha256_file(moved)}) != first


def bundle_with(meta: dict) -> SimpleNamespace:
    return SimpleNamespace(meta=meta)


def test_comparison_key_covers_the_data_the_group_and_the_groups_files_content(
    tmp_path: Path,
) -> None:
    meta = {"sources": [{"id": "csww", "sha256": "a" * 64}, {"id": "las", "sha256": "b" * 64}]}
    key = comparison.comparison_key(bundle_with(meta), "sn2025")  # type: ignore[arg-type]
    assert key is not None
    rebuilt = {**meta, "built_at": "later", "data_dir": "/another/copy"}
    assert comparison.comparison_key(bundle_with(rebuilt), "sn2025") == key  # type: ignore[arg-type]
    other_data = {"sources": [{"id": "csww", "sha256": "c" * 64}, meta["sources"][1]]}
    assert comparison.comparison_key(bundle_with(other_data), "sn2025") != key  # type: ignore[arg-type]
    assert comparison.comparison_key(bundle_with(meta), "sn2021") != key  # type: ignore[arg-type]
    groups = tmp_path / "groups.toml"
    groups.write_text('[groups.Pair]\nmembers = ["Leeds", "York"]\n', encoding="utf-8")
    with_file = comparison.comparison_key(bundle_with(meta), "Pair", groups)  # type: ignore[arg-type]
    moved = groups.rename(tmp_path / "moved.toml")
    assert comparison.comparison_key(bundle_with(meta), "Pair", moved) == with_file  # type: ignore[arg-type]
    moved.write_text('[groups.Pair]\nmembers = ["Leeds", "Hull"]\n', encoding="utf-8")
    assert comparison.comparison_key(bundle_with(meta), "Pair", moved) != with_file  # type: ignore[arg-type]
    assert comparison.comparison_key(bundle_with({}), "sn2025") is None  # type: ignore[arg-type]


def test_frames_are_read_back_only_under_their_key(tmp_path: Path) -> None:
    where = tmp_path / "cache" / "abc"
    frames = {
        "panel": pl.DataFrame({"la_code": ["901", "902"], "value": [1.5, None]}),
        "flags": pl.DataFrame({"flag": ["suppressed"]}),
    }
    key = {"inputs": {"csww": "a" * 64}, "fingerprint": "f" * 64}
    cache.write_frames(where, key, frames, {"demo": True})
    stored = cache.read_frames(where, key, ("panel", "flags"))
    assert stored is not None
    read, meta = stored
    assert meta == {"demo": True}
    for name, frame in frames.items():
        assert_frame_equal(read[name], frame)
    assert cache.read_frames(where, {**key, "fingerprint": "e" * 64}, ("panel",)) is None
    assert cache.read_frames(tmp_path / "nothing", key, ("panel",)) is None
    cache.write_frames(where, {"other": 1}, {"panel": frames["panel"].head(1)}, {})
    assert sorted(p.name for p in where.parent.iterdir()) == ["abc"]  # replaced, no leftovers
    assert cache.read_frames(where, key, ("panel",)) is None
