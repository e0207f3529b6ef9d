"""Benchmark: one authority report, cold -- `render_report` in a fresh Python process.

    python bench/report.py [DATA_DIR] [--la Leeds] [--runs 5]

DATA_DIR defaults to the demonstration data (generated on first use). Target (issue 4, on
a 2-core machine): <= 3 s wall time per cold report, with no jupyterlab in the render
environment. Each run starts a new interpreter that imports benchmarks.render, starts a
kernel, executes the notebook and writes the HTML, so the time is what `benchmarks report
--la X` costs. The on-disk caches (panel, comparison table, Vega bundle) live in a
BENCHMARKS_HOME of this benchmark's own; the first run fills them and is shown apart.

Bytecode: a normal install (`pip install`, `make setup`) compiles every module to .pyc.
Where the environment forbids that (PYTHONDONTWRITEBYTECODE=1 and a .venv without .pyc
files, as in some sandboxes), every import compiles from source and a cold report costs
seconds more. By default the benchmark gives its processes (and their kernels) a private
bytecode cache (PYTHONPYCACHEPREFIX in its temporary folder), filled by the first run;
`--as-is` measures the environment exactly as it is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 3.0
RENDER = """
import sys
from benchmarks.render import render_report
data_dir = sys.argv[2] or None
print(render_report(sys.argv[1], data_dir=data_dir, out_dir=sys.argv[3]))
"""


def cold_render(la: str, data_dir: str, out_dir: Path, env: dict[str, str]) -> tuple[float, Path]:
    """Wall time of one report in a fresh process, and the file it wrote."""
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", RENDER, la, data_dir, str(out_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"render failed:\n{done.stdout}\n{done.stderr}")
    return seconds, Path(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir", nargs="?", default="", help="published data folder (default: demo data)"
    )
    parser.add_argument("--la", default="Leeds")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-is", action="store_true", help="no private bytecode cache")
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve()) if args.data_dir else ""

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        env = {**os.environ, "BENCHMARKS_HOME": str(Path(tmp) / "home")}
        env.pop("BENCHMARKS_DATA", None)
        if not args.as_is:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        first, path = cold_render(args.la, data_dir, Path(tmp) / "reports", env)
        times = [
            cold_render(args.la, data_dir, Path(tmp) / "reports", env)[0] for _ in range(args.runs)
        ]
        size = path.stat().st_size

    median = statistics.median(times)
    source = data_dir or "demonstration data"
    bytecode = "as the environment is" if args.as_is else "private bytecode cache"
    load = ", ".join(f"{x:.1f}" for x in load_before)
    print(f"cold single report: {args.la}, {source}, {os.cpu_count()} cores, {bytecode}")
    print(f"  load average before the runs: {load}")
    print(f"  first run (empty caches: data, comparison, Vega bundle, bytecode): {first:.2f} s")
    print(f"  cold runs ({args.runs}, fresh process each): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"  median {median:.2f} s, best {min(times):.2f} s; target {TARGET:.1f} s")
    print(
        f"  ratio median/target: {median / TARGET:.2f} ({'meets' if median <= TARGET else 'misses'} the target)"
    )
    print(f"  report size: {size:,} bytes ({size / 1_000_000:.2f} MB; target <= 1.5 MB)")


if __name__ == "__main__":
    main()
