# Convenience wrappers; the README's two commands need only python3 (tasks.py).
LA ?= Leeds
.PHONY: report test setup lint lab lock
report: ; python3 tasks.py report "$(LA)"
test:   ; python3 tasks.py test
setup:  ; python3 tasks.py setup
lint: setup
	.venv/bin/ruff check src tests bench tasks.py
	.venv/bin/mypy
lab: setup                  ## JupyterLab, installed on demand: it slows `import altair` in renders
	.venv/bin/python -m pip install --quiet "jupyterlab>=4.2"
	.venv/bin/jupyter lab notebooks/
lock: setup                 ## re-pin requirements.lock from pyproject.toml
	.venv/bin/python -m pip install --quiet uv
	.venv/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock
