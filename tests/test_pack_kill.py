"""Killed runs (issue 6): a pack killed with SIGKILL at random points never leaves a broken report.

The output folder starts with a complete pack of one data version; a pack of another
data version is started and killed at a random moment (seeded). Then every report on
disk must be byte-equal to the previous good one or to a clean render of the new data
(never truncated, never half-written); a temporary file a rename never reached is hidden
and not linked; the lock is free at once (an flock dies with its process, and the
worker processes and kernels, which may still be running, do not hold it); they exit by
themselves (a worker when its stdin closes with the pack, shutting its kernel down);
and the next run completes the job.

`python tests/test_pack_kill.py` runs the same trials and prints the table kept in
docs/robustness.md.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from benchmarks import packs
from report_support import benchmarks_home

pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]

LAS = ("Leeds", "Bradford", "York")
KILLS = 3
SEED = 20251123
KERNEL_EXIT = 15.0  # ipykernel polls for its parent every second


@dataclass
class Trial:
    """One killed run and how it ended."""

    delay: float  # seconds after the start
    finished: bool  # the run had already ended when the kill came
    new_at_kill: int  # reports already of the new data when killed
    old_at_kill: int
    temporaries: int  # hidden .tmp files left by an interrupted write
    orphans: int  # worker processes and kernels still running right after the kill
    orphans_gone_after: float | None  # seconds until they had all exited (None: never)
    lock_free: bool  # taken at once after the kill
    next_exit: int
    next_rendered: int


def pack_command(data_dir: Path, out: Path) -> list[str]:
    named = [a for la in LAS for a in ("--la", la)]
    return [
        sys.executable,
        "-m",
        "benchmarks.cli",
        "report",
        *named,
        "--data-dir",
        str(data_dir),
    ] + [
        "--out",
        str(out),
        "--workers",
        "1",
        "--quiet",
    ]


def descendants(pid: int) -> list[int]:
    """Running processes below `pid` (a pack's worker processes and their kernels)."""
    parents = {
        int(entry.name): _stat(int(entry.name))[1:2]
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit()
    }
    found: list[int] = []
    below = [pid]
    while below:
        parent = str(below.pop())
        kids = [p for p, ppid in parents.items() if ppid == [parent]]
        found += kids
        below += kids
    return found


def alive(pids: list[int]) -> list[int]:
    return [p for p in pids if _stat(p)[:1] not in ([], ["Z"])]


def _stat(pid: int) -> list[str]:
    """state, ppid, ... of a process (empty when it has gone)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def reports(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.html") if p.name != "index.html"}


def clean_pack(data_dir: Path, out: Path) -> tuple[float, float]:
    """Render the pack from scratch; (seconds, seconds until its first report was written)."""
    start = time.time()
    subprocess.run(pack_command(data_dir, out), check=True, capture_output=True, timeout=300)
    seconds = time.time() - start
    first = min(p.stat().st_mtime for p in (out / "2025").glob("*.html"))
    return seconds, first - start


def check_folder(
    folder: Path, old: dict[str, bytes], new: dict[str, bytes]
) -> tuple[int, int, int]:
    """Every report is the previous good one or a complete new one; nothing else looks like one.

    Returns (new, old, temporaries).
    """
    names = {p.name for p in folder.iterdir()}
    temporaries = {n for n in names if n.startswith(".") and n.endswith(".tmp")}
    assert names - temporaries <= set(old) | {"index.html", ".pack_manifest.json"}
    counts = [0, 0]
    for name, page in reports(folder).items():
        assert page in (old[name], new[name]), (
            f"{name} is neither the old nor a complete new report"
        )
        counts[page == old[name]] += 1
    assert set(reports(folder)) == set(old)  # a report is never missing either
    json.loads((folder / ".pack_manifest.json").read_text(encoding="utf-8"))  # whole JSON
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert index.rstrip().endswith("</html>")
    links = [a["href"] for a in BeautifulSoup(index, "html.parser").select("#authorities a")]
    assert links and all((folder / href).is_file() and href in old for href in links)
    return counts[0], counts[1], len(temporaries)


def kill_trials(work: Path, *, kills: int = KILLS, seed: int = SEED) -> list[Trial]:
    """Run the killed-run trials in `work`; assert everything; return what happened."""
    from benchmarks import demo, panel

    rng = random.Random(seed)
    trials = []
    with benchmarks_home(work / "home"):
        data = [demo.write_demo(work / "data-a"), demo.write_demo(work / "data-b", seed=7)]
        refs = [work / "ref-a", work / "ref-b"]
        for i, folder in enumerate(data):
            panel.load(folder)
            # fill every cache (data, comparison, chart and page templates), so the
            # reference runs time a usual run: the killed runs below find them filled
            clean_pack(folder, work / f"warm-up-{i}")
        timing = [clean_pack(d, r) for d, r in zip(data, refs, strict=True)]
        good = [reports(r / "2025") for r in refs]
        assert good[0] != good[1] and all(len(g) == len(LAS) for g in good)
        seconds, first = min(t for t, _ in timing), min(f for _, f in timing)
        out = work / "out"
        shutil.copytree(refs[0], out)  # a complete pack of data-a
        for i in range(kills):
            new = (i + 1) % 2  # alternate: data-b, data-a, ...
            # one kill while starting up, the rest anywhere from just before the first report
            low, high = (0.2, first) if i == 0 else (max(0.2, first - 1.0), seconds - 0.2)
            delay = rng.uniform(low, high)
            process = subprocess.Popen(  # noqa: S603 - our own command line
                pack_command(data[new], out),
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            kernels = descendants(process.pid)
            finished = process.poll() is not None  # (poll reaps a finished run)
            if not finished:
                os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            orphans = alive(kernels)
            lock = packs.lock.OutputLock(out)
            try:
                lock.acquire()  # at once: the dead run's flock went with it
                lock_free = True
            except packs.lock.PackLocked:
                lock_free = False
            finally:
                lock.release()
            assert lock_free, "the killed run's lock blocks the next run"
            new_count, old_count, temporaries = check_folder(out / "2025", good[1 - new], good[new])
            gone_after = None
            waited = time.time()
            while time.time() - waited < KERNEL_EXIT:
                if not alive(orphans):
                    gone_after = time.time() - waited
                    break
                time.sleep(0.1)
            for pid in alive(orphans):  # never left behind by the test
                os.kill(pid, signal.SIGKILL)
            if i == 0:  # what a kill inside a write leaves: a hidden, half-written file
                planted = out / "2025" / ".leeds.html.kill0001.tmp"
                planted.write_bytes(good[new]["leeds.html"][:1000])
                os.utime(planted, (time.time() - 60, time.time() - 60))
                check_folder(out / "2025", good[1 - new], good[new])  # not taken for a report
            done = subprocess.run(
                pack_command(data[new], out), capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, done.stderr
            assert reports(out / "2025") == good[new]  # the job is complete
            assert not list((out / "2025").glob(".*.tmp"))  # the killed run's leftovers went
            rendered = int(done.stdout.split(" rendered")[0].rsplit(" ", 1)[1])
            # a report renamed into place but not yet in the manifest is rendered again
            assert len(LAS) - new_count <= rendered <= len(LAS)
            trials.append(
                Trial(
                    round(delay, 2),
                    finished,
                    new_count,
                    old_count,
                    temporaries,
                    len(orphans),
                    None if gone_after is None else round(gone_after, 1),
                    lock_free,
                    done.returncode,
                    rendered,
                )
            )
    return trials


def test_killed_packs_never_leave_a_broken_report(tmp_path: Path) -> None:
    trials = kill_trials(tmp_path)
    assert len(trials) == KILLS
    for trial in trials:
        assert trial.lock_free and trial.next_exit == 0
        assert trial.new_at_kill + trial.old_at_kill == len(LAS)
        assert trial.orphans_gone_after is not None, "processes of a killed run kept running"
    assert sum(not t.finished for t in trials) >= KILLS - 1  # killed while running


def markdown(trials: list[Trial]) -> str:
    """The "Killed runs" table for docs/robustness.md."""
    lines = [
        "| kill | after (s) | reports at the kill: new / previous / broken |"
        " hidden temp files left | workers and kernels running after the kill | gone after (s) |"
        " lock free at once | next run | lost data |",
        "|---:|---:|---|---:|---:|---:|---|---|---:|",
    ]
    for i, t in enumerate(trials, 1):
        when = f"{t.delay:.2f}" + (" (run had ended)" if t.finished else "")
        lines.append(
            f"| {i} | {when} | {t.new_at_kill} / {t.old_at_kill} / 0 | {t.temporaries} | "
            f"{t.orphans} | {t.orphans_gone_after} | {'yes' if t.lock_free else 'no'} | "
            f"exit {t.next_exit}, rendered {t.next_rendered} | 0 |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="pack-kill-") as tmp:
        print(
            markdown(kill_trials(Path(tmp), kills=int(sys.argv[1]) if len(sys.argv) > 1 else KILLS))
        )


def test_sigterm_stops_after_the_reports_in_progress_and_records_them(tmp_path: Path) -> None:
    """A scheduler stopping the job (SIGTERM): the run ends like Ctrl-C, exit 130; every
    report it wrote is in the manifest, and its workers and kernels are shut down, not
    orphaned."""
    from benchmarks import demo

    with benchmarks_home(tmp_path / "home"):
        data = demo.write_demo(tmp_path / "data")
        out = tmp_path / "out"
        process = subprocess.Popen(  # noqa: S603 - our own command line
            pack_command(data, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        deadline = time.time() + 120
        while not list((out / "2025").glob("*.html")) and time.time() < deadline:
            time.sleep(0.05)
        kernels = descendants(process.pid)
        assert len(kernels) == 2, "the pack should be running its worker and its kernel"
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stdout == ""  # no summary: the run did not finish
    manifest = json.loads((out / "2025" / ".pack_manifest.json").read_text(encoding="utf-8"))
    written = {p.name for p in (out / "2025").glob("*.html")}
    assert {Path(e["file"]).name for e in manifest["reports"].values()} == written
    assert not alive(kernels)
