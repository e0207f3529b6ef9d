"""Benchmark: one report, cold -- the `benchmarks` command in a fresh process.

    python bench/report.py [DATA_DIR] [--kind authority|partnership|explore] [--la Leeds]
                           [--runs 5] [--as-is]

DATA_DIR defaults to the demonstration data (generated on first use). Targets (issue 12,
on a 2-core machine, JupyterLab installed in the environment): an authority report in
<= 2.0 s median; a partnership report or the exploration page at most 1 s more than the
authority report; a page <= 1.2 MB.

Each run is the command a user types, run in a new interpreter with its working folder in
the benchmark's temporary folder (pages go to its `reports/`):

* authority:   `benchmarks report --la LA`
* partnership: `benchmarks partnership --group GROUP [--focus LA]`
* explore:     `benchmarks explore --la LA`

plus `--data-dir DATA_DIR` when given. The on-disk caches (panel, comparison table, Vega
bundle, compiled chart templates) live in a BENCHMARKS_HOME of this benchmark's own; the
first run fills them and is shown apart.

Bytecode: a normal install (`pip install`, `python3 tasks.py setup`) compiles every module
to .pyc; `tasks.py setup` also compiles the editable `src/`. Where the environment forbids
writing bytecode (PYTHONDONTWRITEBYTECODE=1, as in some sandboxes) and `src/` has no .pyc
files, every import of the package compiles from source. By default the benchmark gives
its processes (and their kernels) a private bytecode cache (PYTHONPYCACHEPREFIX in its
temporary folder), filled by the first run, which is what a user's set-up has after its
first run; `--as-is` measures the environment exactly as it is.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.0  # seconds, authority report
EXTRA_TARGET = 1.0  # seconds more than the authority report, for the other kinds
SIZE_TARGET = 1.2  # MB
KINDS = {
    "authority": ["report", "--la", "{la}"],
    "partnership": ["partnership", "--group", "{group}", "--focus", "{focus}"],
    "explore": ["explore", "--la", "{la}"],
}


def command(kind: str, args: argparse.Namespace, data_dir: str) -> list[str]:
    """The `benchmarks` command line for one report of this kind."""
    words = [w.format(la=args.la, group=args.group, focus=args.focus) for w in KINDS[kind]]
    if kind == "partnership" and not args.focus:
        words = words[:-2]
    return [sys.executable, "-m", "benchmarks.cli", *words] + (
        ["--data-dir", data_dir] if data_dir else []
    )


CPU: list[float] = []  # CPU seconds (user + system) of each run, its kernel included


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def cold_render(argv: list[str], work: Path, env: dict[str, str]) -> tuple[float, Path]:
    """Wall time of one command in a fresh process, and the newest page it wrote.

    The CPU time of the process and its kernel goes to CPU: on a busy shared machine it
    says what the work costs when the wall time says mostly how busy the machine was."""
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter
        argv, cwd=work, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    CPU.append(_cpu() - cpu)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv[2:])} failed:\n{done.stdout}\n{done.stderr}")
    pages = sorted(work.rglob("*.html"), key=lambda p: p.stat().st_mtime_ns)
    if not pages:
        sys.exit(f"{' '.join(argv[2:])} wrote no page under {work}:\n{done.stdout}")
    return seconds, pages[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir", nargs="?", default="", help="published data folder (default: demo data)"
    )
    parser.add_argument("--kind", choices=sorted(KINDS), default="authority")
    parser.add_argument("--la", default="Leeds", help="authority (authority and explore)")
    parser.add_argument("--group", default="West Yorkshire", help="partnership group")
    parser.add_argument("--focus", default="Bradford", help="partnership focus ('' for none)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-is", action="store_true", help="no private bytecode cache")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time the authority report in the same run and give the difference",
    )
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve()) if args.data_dir else ""
    kinds = [args.kind] + (["authority"] if args.compare and args.kind != "authority" else [])

    load_before = os.getloadavg()
    results: dict[str, tuple[float, list[float], int]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        env = {**os.environ, "BENCHMARKS_HOME": str(Path(tmp) / "home")}
        env.pop("BENCHMARKS_DATA", None)
        if not args.as_is:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        work = Path(tmp) / "work"
        work.mkdir()
        firsts = {k: cold_render(command(k, args, data_dir), work, env)[0] for k in kinds}
        times: dict[str, list[float]] = {k: [] for k in kinds}
        cpu: dict[str, list[float]] = {k: [] for k in kinds}
        pages: dict[str, Path] = {}
        for _ in range(args.runs):  # interleaved, so load changes hit every kind alike
            for kind in kinds:
                seconds, pages[kind] = cold_render(command(kind, args, data_dir), work, env)
                times[kind].append(seconds)
                cpu[kind].append(CPU[-1])
        for kind in kinds:
            results[kind] = (firsts[kind], times[kind], pages[kind].stat().st_size)
    load_after = os.getloadavg()

    source = data_dir or "demonstration data"
    bytecode = "as the environment is" if args.as_is else "private bytecode cache"
    print(f"cold single report: {source}, {os.cpu_count()} cores, {bytecode}")
    print(f"  load average before the runs: {', '.join(f'{x:.1f}' for x in load_before)}")
    print(f"  load average after the runs:  {', '.join(f'{x:.1f}' for x in load_after)}")
    for kind, (first, runs, size) in results.items():
        median = statistics.median(runs)
        print(f"  {kind}: {' '.join(command(kind, args, data_dir)[2:])}")
        print(f"    first run (empty caches: data, comparison, Vega, bytecode): {first:.2f} s")
        print(
            f"    cold runs ({len(runs)}, fresh process each): "
            + ", ".join(f"{t:.2f}" for t in runs)
        )
        if kind == "authority":
            verdict = "meets" if median <= TARGET else "misses"
            print(
                f"    median {median:.2f} s (n={len(runs)}), best {min(runs):.2f} s; target {TARGET:.1f} s"
            )
            print(f"    ratio median/target: {median / TARGET:.2f} ({verdict} the target)")
        else:
            print(f"    median {median:.2f} s (n={len(runs)}), best {min(runs):.2f} s")
        print(f"    CPU time (process + kernel), median: {statistics.median(cpu[kind]):.2f} s")
        mb = size / 1_000_000
        verdict = "meets" if mb <= SIZE_TARGET else "misses"
        print(
            f"    page size: {size:,} bytes ({mb:.2f} MB); target {SIZE_TARGET} MB, "
            f"ratio {mb / SIZE_TARGET:.2f} ({verdict} the target)"
        )
    if "authority" in results and len(results) > 1:
        base = statistics.median(results["authority"][1])
        extra = statistics.median(results[args.kind][1]) - base
        verdict = "meets" if extra <= EXTRA_TARGET else "misses"
        print(
            f"  {args.kind} minus authority (medians): {extra:+.2f} s; "
            f"target <= +{EXTRA_TARGET:.1f} s, ratio {extra / EXTRA_TARGET:.2f} "
            f"({verdict} the target)"
        )


if __name__ == "__main__":
    main()
