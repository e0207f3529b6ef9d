"""Benchmark: the naive report loop against `benchmarks report --all`, in one invocation.

    python bench/pack.py [DATA_DIR] [--sample 10] [--workers N] [--as-is]

DATA_DIR defaults to the demonstration data. Targets (issue 12, on a 2-core machine, in
the environment `tasks.py setup` makes, JupyterLab included): every authority takes
<= 20 s, a rerun with nothing changed <= 1 s; the ratio to the naive loop, measured in the
same run, is reported (issue 5 asked for at least 15x per report).

* naive loop: for a sample of authorities (every k-th by name), `papermill.execute_notebook`
  (a new kernel each time) and then an nbconvert HTML exporter made for that report, as a
  script calling the two libraries would. It writes the same pages as the pack, which the
  benchmark checks byte for byte, so both sides do the same work.
* pack: `benchmarks report --all --force` into a fresh folder, timed from the command's
  start to its exit (interpreter start-up, data loading, kernels, index page included).
* no-op rerun: the same command without --force (nothing changed: it must render nothing).

Caches (panel, comparison table, Vega bundle, compiled chart templates and page templates)
live in a BENCHMARKS_HOME of the benchmark's own and are filled by an untimed warm-up (the
data and comparison, then one pack into a scratch folder: a report fills the chart
templates its authority's charts need), so neither side pays for them, as a scheduled
pack that has run before does not. Bytecode: as in
bench/report.py, processes get a private bytecode cache (filled by the warm-up) unless
`--as-is`, which measures the environment exactly as it is (in this sandbox
PYTHONDONTWRITEBYTECODE=1 and no .pyc files: every import compiles from source).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATIO_TARGET = 15.0
PACK_TARGET = 20.0
NOOP_TARGET = 1.0

WARM_UP = """
import sys
import papermill, nbconvert, ipykernel.kernelapp, jupyter_client, rich.progress, jinja2
from benchmarks import comparison, panel, render
from benchmarks.packs import selection
bundle = panel.load(sys.argv[1] or None)
comparison.comparison_for(bundle, "sn2025")
render.vega_bundle()
year = selection.latest_year(bundle.panel)
chosen = selection.select_authorities(bundle, selection.Selection(every=True), year)
print("\\n".join(name for _, name in chosen))
"""

NAIVE = """
import json, sys, time
import papermill
from benchmarks import render
data_dir, out = sys.argv[1] or None, sys.argv[2]
times = []
for la in sys.argv[3:]:
    start = time.perf_counter()
    params = render.report_parameters(la, data_dir=data_dir)
    nb = papermill.execute_notebook(
        str(render.NOTEBOOK), None, parameters=params, kernel_name="python3", progress_bar=False
    )
    page = render.export_html(nb, render.new_exporter())  # a new exporter for each report
    info = render.report_info(nb)
    render.report_path(out, info["year"], info["la_name"]).parent.mkdir(parents=True, exist_ok=True)
    render.report_path(out, info["year"], info["la_name"]).write_text(page, encoding="utf-8")
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time and stdout of a command; exits with its output if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"{' '.join(command[:4])}... failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default="", help="data folder (default: demo data)")
    parser.add_argument("--sample", type=int, default=10, help="authorities in the naive loop")
    parser.add_argument("--workers", type=int, help="pack workers (default: the pack's, cores)")
    parser.add_argument("--as-is", action="store_true", help="no private bytecode cache")
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve()) if args.data_dir else ""
    python = sys.executable

    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        env = {**os.environ, "BENCHMARKS_HOME": str(Path(tmp) / "home")}
        env.pop("BENCHMARKS_DATA", None)
        if not args.as_is:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        warm, names = run([python, "-c", WARM_UP, data_dir], env)
        every = names.split("\n")[:-1] if names.endswith("\n") else names.split("\n")
        step = max(1, len(every) // args.sample)
        sample = every[::step][: args.sample]

        def pack_command(out: Path) -> list[str]:
            command = [python, "-m", "benchmarks.cli", "report", "--all", "--out", str(out)]
            command += ["--quiet", "--data-dir", data_dir] if data_dir else ["--quiet"]
            return command + (["--workers", str(args.workers)] if args.workers else [])

        warm += run([*pack_command(Path(tmp) / "warm-up"), "--force"], env)[0]

        load = os.getloadavg()
        _, naive_out = run([python, "-c", NAIVE, data_dir, str(Path(tmp) / "naive"), *sample], env)
        naive = json.loads(naive_out.strip().splitlines()[-1])

        out = Path(tmp) / "pack"
        command = pack_command(out)
        pack_seconds, summary = run([*command, "--force"], env)
        noop_seconds, noop_summary = run(command, env)

        year_dir = next(p for p in out.iterdir() if p.is_dir())
        count = len([p for p in year_dir.glob("*.html") if p.name != "index.html"])
        equal = sum(
            (year_dir / p.name).read_bytes() == p.read_bytes()
            for p in (Path(tmp) / "naive" / year_dir.name).glob("*.html")
        )

    per_naive = sum(naive) / len(naive)
    per_pack = pack_seconds / count
    ratio = per_naive / per_pack
    bytecode = "as the environment is" if args.as_is else "private bytecode cache"
    print(
        f"report pack benchmark: {data_dir or 'demonstration data'}, {os.cpu_count()} cores, {bytecode}"
    )
    print(f"  load average before timing: {', '.join(f'{x:.1f}' for x in load)}")
    print(f"  warm-up (caches, untimed in the results): {warm:.1f} s")
    print(
        f"  naive loop ({len(naive)} authorities: papermill + a new kernel and exporter each): "
        f"{per_naive:.2f} s per report (min {min(naive):.2f}, max {max(naive):.2f})"
    )
    print(f"  pack (--all --force, fresh folder): {count} reports in {pack_seconds:.1f} s wall")
    print(f"    {per_pack:.3f} s per report; pack summary: {summary.strip()}")
    print(
        f"  ratio naive/pack per report: {ratio:.1f}x "
        f"({'meets' if ratio >= RATIO_TARGET else 'misses'} the {RATIO_TARGET:.0f}x target)"
    )
    print(
        f"  whole pack: {pack_seconds:.1f} s; target {PACK_TARGET:.0f} s, ratio "
        f"{pack_seconds / PACK_TARGET:.2f} "
        f"({'meets' if pack_seconds <= PACK_TARGET else 'misses'} the target)"
    )
    print(
        f"  rerun with nothing changed: {noop_seconds:.2f} s wall; target {NOOP_TARGET:.0f} s, "
        f"ratio {noop_seconds / NOOP_TARGET:.2f} "
        f"({'meets' if noop_seconds <= NOOP_TARGET else 'misses'} the target); "
        f"{noop_summary.strip()}"
    )
    print(f"  load average after timing: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  naive pages byte-equal to the pack's: {equal} of {len(naive)}")


if __name__ == "__main__":
    main()
