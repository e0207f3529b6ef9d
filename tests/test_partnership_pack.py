"""`benchmarks partnership --all-groups`: every named group as a pack, with the authority
packs' incremental runs, lock and an index page; hostile group names stay text."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.cli import main
from benchmarks.packs.lock import EXIT_LOCKED, OutputLock

pytestmark = pytest.mark.slow

HOSTILE = '<img src=x onerror=alert(1)> & "Partners"'


@pytest.fixture(scope="module")
def groups_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("groups") / "groups.toml"
    path.write_text(
        '[groups."Pennines"]\nmembers = ["Calderdale", "Kirklees"]\n'
        f'[groups.\'{HOSTILE}\']\nmembers = ["Leeds", "Bradford"]\n',
        encoding="utf-8",
    )
    return path


def test_all_groups_renders_each_group_then_skips_unchanged(
    demo_dir: Path, groups_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    argv = [
        "partnership",
        "--all-groups",
        "--data-dir",
        str(demo_dir),
        "--groups-file",
        str(groups_file),
        "--out",
        str(out),
        "--workers",
        "1",
        "--quiet",
    ]
    assert main(argv) == 0
    assert "2 groups: 2 rendered, 0 unchanged" in capsys.readouterr().out
    folder = out / "partnerships"
    assert (folder / "pennines.html").is_file()
    assert (folder / "img-src-x-onerror-alert-1-partners.html").is_file()
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert '<a href="pennines.html">Pennines</a>' in index
    assert "<img src=x" not in index and "&lt;img src=x onerror=alert(1)&gt;" in index
    assert main(argv) == 0
    assert "2 groups: 0 rendered, 2 unchanged (skipped)" in capsys.readouterr().out
    with OutputLock(out):
        assert main(argv) == EXIT_LOCKED
