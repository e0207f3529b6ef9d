#!/usr/bin/env python3
"""Set up and run the project with nothing but python3.

python3 tasks.py report [LA]   # set up, then render one authority report
python3 tasks.py test [ARGS]   # set up, then run the whole test suite (ARGS go to pytest)
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


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def setup() -> None:
    """Create .venv and install the pinned requirements, once per change of the lock file."""
    wanted = hashlib.sha256(
        (ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
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
    STAMP.write_text(wanted)


def browser() -> None:
    """Debian's Chromium for the real-browser test; installed when we are root on Debian."""
    if shutil.which("chromium"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    else:
        print(
            "Chromium not found: install it (Debian: sudo apt-get install chromium) "
            "for the browser test.",
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
