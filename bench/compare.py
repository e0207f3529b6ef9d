"""Benchmark: the whole comparison table -- every LA, indicator, year and comparator group.

    python bench/compare.py [DATA_DIR]        (default ../shared/data/published)

Target (issue 3, on a 2-core machine): <= 1 s for all groups together. The bundle is
loaded (from its cache) before timing; the figures are the median of several runs in one
process, plus the first run in a fresh process (first use of every code path), with the
time to `import benchmarks.comparison` (numpy, scipy.special) shown separately.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "published"
RUNS = 5
TARGET = 1.0

COLD = """
import sys, time
from benchmarks.panel import load
b = load(sys.argv[1])
t0 = time.perf_counter()
from benchmarks.comparison import comparison_table
from benchmarks.groups import list_groups
t1 = time.perf_counter()
groups = list_groups()["group"].to_list()
t = comparison_table(b.panel, b.authorities, b.neighbours, b.inspections, b.flags, group=groups)
print(t1 - t0, time.perf_counter() - t1)
"""


def main() -> None:
    from benchmarks.comparison import comparison_table
    from benchmarks.groups import list_groups
    from benchmarks.panel import load

    bundle = load(DATA)
    frames = (bundle.panel, bundle.authorities, bundle.neighbours, bundle.inspections, bundle.flags)
    groups = list_groups()["group"].to_list()

    def run(group: str | list[str]) -> tuple[float, int]:
        start = time.perf_counter()
        table = comparison_table(*frames, group=group)
        return time.perf_counter() - start, table.height

    run(groups)  # warm up
    timings = [run(groups) for _ in range(RUNS)]
    whole = statistics.median(t for t, _ in timings)
    rows = timings[0][1]
    single = {g: statistics.median(run(g)[0] for _ in range(3)) for g in groups}
    out = subprocess.run(
        [sys.executable, "-c", COLD, str(DATA)], capture_output=True, text=True, check=True
    ).stdout.split()
    cold_import, cold = float(out[-2]), float(out[-1])

    las = bundle.panel.filter(~bundle.panel["la_code"].is_in(["970", *map(str, range(980, 991))]))
    print(f"data: {DATA}")
    print(
        f"panel: {las.height:,} LA rows, {las['la_code'].n_unique()} LAs, "
        f"{las['indicator'].n_unique()} indicators, {las['year'].n_unique()} years"
    )
    print(f"groups ({len(groups)}): {', '.join(groups)}")
    print(f"comparison table, all groups at once: {rows:,} rows")
    print(
        f"  median of {RUNS} runs      {whole:6.3f} s   target {TARGET} s   ratio {whole / TARGET:.2f}"
    )
    print(f"  first run in a fresh process   {cold:6.3f} s   ratio {cold / TARGET:.2f}")
    print(f"  (+ import benchmarks.comparison {cold_import:6.3f} s, mostly scipy.special)")
    print("one group per call (each recomputes the group-independent statistics):")
    for group, seconds in single.items():
        print(f"  {group:<24} {seconds:6.3f} s")
    total = sum(single.values())
    print(f"  sum                      {total:6.3f} s   ratio {total / TARGET:.2f}")


if __name__ == "__main__":
    main()
