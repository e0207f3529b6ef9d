"""A pack's renderer in a process of its own (`benchmarks.packs.renderer_process`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import render
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
