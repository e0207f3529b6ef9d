#!/usr/bin/env python3
"""Regenerate docs/robustness.md: every broken variant of every published file, read.

    python scripts/robustness.py            # rewrite docs/robustness.md
    python scripts/robustness.py --check    # exit 1 if the page is out of date

The variants are made in a temporary folder from the real published files
(BENCHMARKS_PUBLISHED, default ../shared/data/published) by tests/corpus.py. The text
between the `<!-- faults -->` markers is kept as it is. Exits 1 if any variant lost
data or ended in an unclear error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "robustness.md"
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402  (tests/ holds the corpus shared with the test suite)


def default_published() -> Path:
    """The published-data folder the tests use."""
    return Path(os.environ.get("BENCHMARKS_PUBLISHED", ROOT.parent / "shared/data/published"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", type=Path, default=None, help="published-data folder")
    parser.add_argument("--check", action="store_true", help="only check the page is current")
    args = parser.parse_args(argv)
    published = (args.published or default_published()).resolve()
    if not (published / "MANIFEST.md").exists():
        print(f"published data folder {published} not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        results = corpus.run_all(published, Path(tmp))
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else None
    text = corpus.render(results, faults=corpus.faults_section(old))
    counts = corpus.totals(results)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    if args.check:
        if text != old:
            print(f"{DOC} is out of date: run python scripts/robustness.py", file=sys.stderr)
            return 1
    else:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0 if counts["lost data"] == counts["unclear error"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
