"""The whole demonstration folder: generate every file, write it atomically, and the
explicit first-run step (`ensure`) that says so on the terminal."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.demo import (
    authorities,
    children_in_need,
    d2i,
    inspections,
    looked_after,
    neighbours,
    ofsted_2023,
    outcomes,
    population,
    workforce,
)
from benchmarks.demo.ees import write_ees
from benchmarks.demo.world import World
from benchmarks.errors import BenchmarksError
from benchmarks.schema import DEMO_MARKER

README = """\
DEMONSTRATION DATA - EVERY VALUE IN THIS FOLDER IS INVENTED.

These files copy the layout of the official publications (the same folders, file names,
columns, sheets and header rows) so that the tool can be tried without downloading
anything. The local authorities' names, codes and regions are real public identifiers;
every number, judgement, date and neighbour list was generated from a random seed ({seed})
and says nothing about any real authority. Do not quote or share them as statistics.

Worksheets of the official files that the tool does not read hold only a note, and the
ONS lower-tier to upper-tier lookup lists each upper-tier authority once.

For the real data run `benchmarks fetch`, or point --data-dir / BENCHMARKS_DATA at a
folder of the publishers' files (see docs/data.md).
"""


#: The code the dataset's bytes depend on: this package and the modules it takes
#: constants from. A change to any of them is a new generator.
_GENERATOR_FILES = ("geography.py", "schema.py", "sources/_ees.py", "sources/outcomes.py")


def _fingerprint(seed: int) -> str:
    """The marker file's text: the seed and a hash of the generator's code."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    files = sorted(p.name for p in package.glob("*.py"))
    for name in files:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
    for name in _GENERATOR_FILES:
        digest.update(name.encode() + b"\0" + (package.parent / name).read_bytes())
    code = digest.hexdigest()[:16]
    return f"demonstration data (invented values)\nseed={seed}\ngenerator={code}\n"


def generate(root: Path, *, seed: int = 2025) -> None:
    """Write every demonstration file into `root` (not atomic: see `write_demo`)."""
    world = World(seed)
    for spec in [
        population.spec(world),
        *children_in_need.specs(world),
        looked_after.spec(world),
        *outcomes.specs(world),
        workforce.swcount_spec(world),
        workforce.csww_spec(world),
    ]:
        write_ees(root, spec)
    authorities.write_authority_lists(root)
    authorities.write_la_code_list(root)
    sn = neighbours.write_neighbours(root, world)
    authorities.write_lookups(root, world, sn)
    events = inspections.ofsted_history(world)
    inspections.write_ofsted_2025(root, events)
    ofsted_2023.write_ofsted_2023(root, world, events)
    d2i.write_d2i(root, events, sn)
    (root / "README.txt").write_text(README.format(seed=seed), encoding="utf-8")
    (root / DEMO_MARKER).write_text(_fingerprint(seed), encoding="utf-8")


def write_demo(dest: Path, *, seed: int = 2025) -> Path:
    """Write the demonstration dataset to `dest` atomically and return `dest`.

    The folder is built beside `dest` and renamed into place, so a reader never sees a
    half-written dataset. A folder that already holds the same demonstration data (same
    seed, same generator) is left as it is; a folder of other files is never replaced.
    """
    _write(dest, seed=seed, announce=False)
    return Path(dest).expanduser().absolute()


def ensure(dest: Path, *, seed: int = 2025) -> bool:
    """Write the demonstration dataset to `dest` unless a demonstration dataset is there.

    The explicit first-run step of loading with no data (see `benchmarks.panel.load`):
    when it writes, it says so with one line on stderr. An existing demonstration folder
    is used as it is, even from an older generator (`benchmarks demo-data` refreshes it).
    Returns True when it wrote the dataset.
    """
    return _write(dest, seed=seed, announce=True)


def _write(dest: Path, *, seed: int, announce: bool) -> bool:
    """write_demo (announce False: rewrite unless identical) or ensure (announce True:
    write only when no demonstration data is there, saying so). True when written."""
    from filelock import FileLock

    dest = Path(dest).expanduser().absolute()
    dest.parent.mkdir(parents=True, exist_ok=True)
    marker = dest / DEMO_MARKER
    with FileLock(str(dest.parent / f".{dest.name}.lock")):
        if announce and marker.exists():
            return False
        if marker.exists() and marker.read_text(encoding="utf-8") == _fingerprint(seed):
            return False
        if dest.exists() and any(dest.iterdir()) and not marker.exists():
            raise BenchmarksError(
                f"{dest} holds files that are not demonstration data; choose another folder."
            )
        if announce:
            print(
                f"Writing demonstration data to {dest} (first run; "
                "`benchmarks demo-data` does this explicitly)",
                file=sys.stderr,
                flush=True,
            )
        build = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
        umask = os.umask(0)
        os.umask(umask)
        build.chmod(0o777 & ~umask)  # mkdtemp makes it private; the data is not
        old = build.with_name(build.name.replace(".build-", ".old-"))
        try:
            generate(build, seed=seed)
            if dest.exists():
                os.replace(dest, old)
            os.replace(build, dest)
        finally:
            shutil.rmtree(build, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
    return True
