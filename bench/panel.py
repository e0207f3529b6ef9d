"""Benchmark: build the panel from the raw files, and load it from the cache.

    python bench/panel.py [DATA_DIR]        (default ../shared/data/published)

Targets (issue 2, on a 2-core machine): build <= 2 s, cached load <= 0.2 s.
Each figure is the median of several runs in fresh processes, so imports are included
the way a user's first call pays them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "published"
RUNS = 5
TARGET_BUILD, TARGET_LOAD = 2.0, 0.2

CHILD = """
import time, sys
t0 = time.perf_counter()
from benchmarks import panel
t1 = time.perf_counter()
b = panel.load(sys.argv[1], use_cache=sys.argv[2] == "cache")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, b.panel.height)
"""


def timed(mode: str, home: str) -> tuple[float, float, int]:
    env = {**os.environ, "BENCHMARKS_HOME": home}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(DATA), mode],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        builds = [timed("nocache", home) for _ in range(RUNS)]
        timed("cache", home)  # fill the cache
        loads = [timed("cache", home) for _ in range(RUNS)]
    build = statistics.median(b[1] for b in builds)
    load = statistics.median(b[1] for b in loads)
    imports = statistics.median(b[0] for b in builds)
    print(f"data: {DATA}  ({builds[0][2]:,} panel rows)")
    print(f"import benchmarks.panel      {imports:6.3f} s")
    print(
        f"build from raw files         {build:6.3f} s   target {TARGET_BUILD} s   ratio {build / TARGET_BUILD:.2f}"
    )
    print(
        f"load from cache              {load:6.3f} s   target {TARGET_LOAD} s   ratio {load / TARGET_LOAD:.2f}"
    )
    print(f"cache speed-up over build    {build / load:6.1f} x")


if __name__ == "__main__":
    main()
