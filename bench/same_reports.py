"""Check that reports render the same: byte-identical apart from a generation timestamp.

    python bench/same_reports.py render OUT [--published DIR] [--demo DIR]
    python bench/same_reports.py compare BEFORE AFTER

`render` writes Leeds, Somerset and City of London on the published data
(OUT/published, one pack) and Leeds on demonstration data (OUT/demo, one report) with
the code on PYTHONPATH, through `benchmarks report`. Run it with the old code and the new
code (a private BENCHMARKS_HOME each), then `compare` every HTML file under BEFORE with
the same file under AFTER; the exit code is 1 when any differs or is missing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

PUBLISHED_LAS = ("Leeds", "Somerset", "City of London")
DEMO_LAS = ("Leeds",)
#: The index page's generation time, the only part allowed to differ.
TIMESTAMP = re.compile(rb"Generated \d{1,2} \w+ \d{4} at \d{2}:\d{2} UTC")


def normalised(page: bytes) -> bytes:
    """The page with its generation timestamp blanked."""
    return TIMESTAMP.sub(b"Generated <time>", page)


def differences(before: Path, after: Path) -> list[str]:
    """Each HTML file under `before` missing from, or different in, `after`."""
    problems = []
    files = sorted(p.relative_to(before) for p in before.rglob("*.html"))
    if not files:
        problems.append(f"no HTML files under {before}")
    for name in files:
        other = after / name
        if not other.is_file():
            problems.append(f"{name}: missing in {after}")
        elif normalised((before / name).read_bytes()) != normalised(other.read_bytes()):
            problems.append(f"{name}: differs")
    return problems


def render(out: Path, published: Path, demo: Path) -> None:
    """The four reports (and the pack's index page) with the code on the path."""
    command = [sys.executable, "-m", "benchmarks.cli", "report", "--quiet", "--force"]
    las = [a for la in PUBLISHED_LAS for a in ("--la", la)]
    runs = [
        [*las, "--data-dir", str(published), "--out", str(out / "published"), "--workers", "1"],
        [*(a for la in DEMO_LAS for a in ("--la", la)), "--data-dir", str(demo)]
        + ["--out", str(out / "demo")],
    ]
    for args in runs:
        subprocess.run([*command, *args], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("render")
    make.add_argument("out", type=Path)
    make.add_argument("--published", type=Path, default=Path("../shared/data/published"))
    make.add_argument("--demo", type=Path, default=Path("data/demo"))
    check = sub.add_parser("compare")
    check.add_argument("before", type=Path)
    check.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "render":
        render(args.out, args.published, args.demo)
        return 0
    problems = differences(args.before, args.after)
    for line in problems:
        print(line)
    print("same" if not problems else f"{len(problems)} file(s) differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
