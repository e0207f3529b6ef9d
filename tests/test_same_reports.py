"""bench/same_reports.py, the before/after check of rendered reports, on hand-made pages."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "same_reports.py"
_spec = importlib.util.spec_from_file_location("same_reports", BENCH)
assert _spec is not None and _spec.loader is not None
same_reports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(same_reports)


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode())


def test_only_the_generation_time_may_differ(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    write(before, "2025/index.html", "<p>Generated 30 November 2025 at 07:44 UTC.</p>")
    write(after, "2025/index.html", "<p>Generated 1 December 2025 at 10:02 UTC.</p>")
    write(before, "2025/leeds.html", "<h1>Leeds</h1>")
    write(after, "2025/leeds.html", "<h1>Leeds</h1>")
    assert same_reports.differences(before, after) == []


def test_a_changed_byte_or_a_missing_report_is_reported(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    write(before, "2025/leeds.html", "<p>7.0%</p>")
    write(after, "2025/leeds.html", "<p>7.0 %</p>")
    write(before, "2025/york.html", "<p>York</p>")
    assert same_reports.differences(before, after) == [
        "2025/leeds.html: differs",
        f"2025/york.html: missing in {after}",
    ]
    assert same_reports.main(["compare", str(before), str(after)]) == 1


def test_an_empty_before_folder_is_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "after").mkdir()
    assert same_reports.differences(tmp_path, tmp_path / "after") == [
        f"no HTML files under {tmp_path}"
    ]
