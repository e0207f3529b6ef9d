"""Data-folder resolution and atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys
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
    # (The demo folder itself is written by the loader, not by resolving.)
    monkeypatch.delenv("BENCHMARKS_DATA", raising=False)
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path))
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "fetch_manifest.json").write_text("{}")
    assert not datadir.has_data(tmp_path / "published")
    (tmp_path / "published" / "authorities").mkdir()
    (tmp_path / "published" / "authorities" / "las.csv").write_text("x")
    assert datadir.has_data(tmp_path / "published")
    assert datadir.resolve().origin == "fetched"


def _tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_resolving_with_no_data_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh machine: no BENCHMARKS_DATA, nothing fetched, no demo folder yet.
    monkeypatch.delenv("BENCHMARKS_DATA", raising=False)
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    before = _tree(tmp_path)
    where = datadir.resolve()
    assert (where.origin, where.demo, where.path) == ("demo", True, tmp_path / "home" / "demo")
    assert where.missing_demo
    assert _tree(tmp_path) == before == ["home"]


@pytest.mark.parametrize("how", ["argument", "environment", "fetched"])
def test_resolving_an_existing_folder_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.delenv("BENCHMARKS_DATA", raising=False)
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path))
    data = tmp_path / "published"
    (data / "authorities").mkdir(parents=True)
    (data / "authorities" / "las.csv").write_text("x")
    if how == "environment":
        monkeypatch.setenv("BENCHMARKS_DATA", str(data))
    before = _tree(tmp_path)
    where = datadir.resolve(data if how == "argument" else None)
    assert (where.origin, where.path, where.demo, where.missing_demo) == (how, data, False, False)
    assert _tree(tmp_path) == before


def test_datadir_does_not_import_the_demo_generator(tmp_path: Path) -> None:
    code = (
        "import sys; from benchmarks import datadir; datadir.resolve(); "
        "print(sorted(m for m in sys.modules if m.startswith('benchmarks.demo')))"
    )
    env = {**os.environ, "BENCHMARKS_HOME": str(tmp_path)}
    env.pop("BENCHMARKS_DATA", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


def test_the_loader_writes_the_missing_demo_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import demo, panel

    calls: list[Path] = []
    monkeypatch.setattr(demo, "ensure", lambda path: calls.append(path))
    monkeypatch.delenv("BENCHMARKS_DATA", raising=False)
    monkeypatch.setenv("BENCHMARKS_HOME", str(tmp_path))
    assert panel.prepare().origin == "demo"
    assert calls == [tmp_path / "demo"]
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / datadir.DEMO_MARKER).write_text("seed=1")
    assert panel.prepare().origin == "demo"
    assert panel.prepare(tmp_path / "demo").origin == "argument"
    assert calls == [tmp_path / "demo"]  # an existing demo folder is not written again


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
