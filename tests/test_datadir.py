"""Data-folder resolution and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks import atomic, datadir
from benchmarks.errors import BenchmarksError


def test_argument_wins_and_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    assert datadir.resolve(tmp_path).origin == "argument"
    with pytest.raises(BenchmarksError, match="does not exist"):
        datadir.resolve(tmp_path / "nope")


def test_environment_variable_comes_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMARKS_DATA", str(tmp_path))
    assert datadir.resolve().origin == "environment"


def test_a_fetch_folder_with_only_a_manifest_is_not_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first fetch that failed leaves a manifest and no files: fall back to the demo.
    monkeypatch.delenv("BENCHMARKS_DATA", raising=False)
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path))
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "fetch_manifest.json").write_text("{}")
    assert not datadir.has_data(tmp_path / "published")
    (tmp_path / "published" / "authorities").mkdir()
    (tmp_path / "published" / "authorities" / "las.csv").write_text("x")
    assert datadir.has_data(tmp_path / "published")
    assert datadir.resolve().origin == "fetched"


def test_atomic_write_leaves_no_temp_file_and_normal_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic.write_text(target, "hello")
    assert target.read_text() == "hello"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("good")
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed mid-write")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
