# Convenience wrappers; the README's two commands need only python3 (tasks.py).
LA ?= Leeds
.PHONY: report test setup lint lab lock
report: ; python3 tasks.py report "$(LA)"
test:   ; python3 tasks.py test
setup:  ; python3 tasks.py setup
lint: setup
	.venv/bin/ruff check src tests bench scripts notebooks tasks.py conftest.py setup.py
	.venv/bin/mypy
lab: setup                  ## JupyterLab is part of the set-up (requirements.lock)
	.venv/bin/benchmarks lab
lock: setup                 ## re-pin requirements.lock from pyproject.toml
	.venv/bin/python -m pip install --quiet uv
	.venv/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock
