#!/usr/bin/env python3
"""Set up and run the project with nothing but python3.

python3 tasks.py report [LA]   # set up, then render one authority report
python3 tasks.py test [ARGS]   # set up, then run the whole test suite (ARGS go to pytest,
                               # e.g. -m "not slow" for the quick edit loop)
python3 tasks.py setup         # only set up .venv from requirements.lock
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"
#: Files that say how the package installs: a change re-runs the set-up.
PACKAGING = ("pyproject.toml", "setup.py")


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def setup() -> None:
    """Create .venv and install the pinned requirements, once per change of the lock file."""
    wanted = hashlib.sha256(
        b"".join((ROOT / name).read_bytes() for name in ("requirements.lock", *PACKAGING))
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Setting up .venv (first run takes a minute or two)...", flush=True)
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-r", "requirements.lock")
    run(PY, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ".")
    run(PY, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3")
    # pip compiles what it installs, but not an editable project's own src/: without this
    # every first import of the package (each report kernel too) compiles it from source
    # where bytecode is not written (PYTHONDONTWRITEBYTECODE), ~0.5 s a process. Cheap
    # (~1 s) and honest: the .pyc files are what Python itself writes on a first import.
    run(PY, "-m", "compileall", "-q", "src")
    STAMP.write_text(wanted)


#: Debian packages for the real-browser tests, and the command each one provides.
BROWSER_PACKAGES = {"chromium": "chromium", "chromium-driver": "chromedriver"}


def browser() -> None:
    """Debian's Chromium and its driver for the real-browser tests; installed when missing
    and we are root on Debian. Under CI=true the tests fail (never skip) without them."""
    missing = [pkg for pkg, command in BROWSER_PACKAGES.items() if not shutil.which(command)]
    if not missing:
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    else:
        print(
            f"Not found: {', '.join(missing)}. Install them (Debian: sudo apt-get install "
            f"{' '.join(missing)}) for the browser tests; without them they skip (fail in CI).",
            file=sys.stderr,
        )


def main(argv: list[str]) -> int:
    task, rest = (argv[0], argv[1:]) if argv else ("report", [])
    if task not in {"setup", "report", "test"}:
        print(__doc__, file=sys.stderr)
        return 2
    setup()
    if task == "report":
        la = rest[0] if rest else "Leeds"
        return subprocess.run([str(BIN / "benchmarks"), "report", "--la", la], cwd=ROOT).returncode
    if task == "test":
        browser()
        return subprocess.run([str(PY), "-m", "pytest", *rest], cwd=ROOT).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
