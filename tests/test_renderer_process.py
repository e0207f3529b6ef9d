"""A pack's renderer in a process of its own (`benchmarks.packs.renderer_process`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import cli, packs, render
from benchmarks.errors import BenchmarksError
from benchmarks.packs.renderer_process import RendererProcess


def test_a_report_error_in_the_child_is_raised_here_and_its_kernel_goes_on(
    home: Path, demo_dir: Path, tmp_path: Path
) -> None:
    renderer = RendererProcess()
    try:
        with pytest.raises(render.ReportError) as failed:
            renderer.render("Nowhere-on-Sea", data_dir=demo_dir, out_dir=tmp_path)
        assert failed.value.la == "Nowhere-on-Sea"
        assert failed.value.cell_index == 1  # the template's cell after `parameters`
        assert "Nowhere-on-Sea" in failed.value.evalue
        path = renderer.render("York", data_dir=demo_dir, out_dir=tmp_path)  # same child
        assert path == render.report_path(tmp_path, 2025, "York") and path.is_file()
        assert "Children's social care benchmarks: York" in path.read_text(encoding="utf-8")
    finally:
        renderer.close()
    assert renderer._child.returncode == 0  # stdin closed: it shut its kernel down and ended


def test_a_child_that_dies_is_a_clear_error(home: Path, demo_dir: Path, tmp_path: Path) -> None:
    renderer = RendererProcess()
    try:
        renderer._child.kill()
        renderer._child.wait()
        with pytest.raises(BenchmarksError, match="the rendering process (has )?stopped"):
            renderer.render("York", data_dir=demo_dir, out_dir=tmp_path)
    finally:
        renderer.close()


def broken_kernel(folder: Path) -> Path:
    """A Jupyter data folder whose python3 kernel cannot start (its program is missing)."""
    spec = folder / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = [str(folder / "no-such-python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": "broken", "language": "python"}))
    return folder


def test_a_kernel_that_cannot_start_fails_each_report_with_the_reason_once_tried(
    home: Path,
    demo_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(broken_kernel(tmp_path / "jupyter")))
    args = ["report", "--la", "Leeds", "--la", "York", "--la", "Bradford", "--workers", "1"]
    args += ["--data-dir", str(demo_dir), "--out", str(tmp_path / "out"), "--quiet"]
    assert cli.main(args) == packs.run.EXIT_FAILED
    out, err = capsys.readouterr()
    assert "3 authorities: 0 rendered, 0 unchanged (skipped), 3 failed" in out
    assert err.count("could not start a kernel: FileNotFoundError") == 3
    assert [p.name for p in (tmp_path / "out" / "2025").glob("*.html")] == ["index.html"]
