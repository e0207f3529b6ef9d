# Two commands matter (see README):  make report   and   make test
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
LA      ?= Leeds
STAMP   := $(VENV)/.installed

.PHONY: report test setup browser lab lint lock clean

report: $(STAMP)            ## set up, then render one authority report (demonstration data if none fetched)
	$(BIN)/benchmarks report --la "$(LA)"

test: $(STAMP) browser      ## set up, then run the whole test suite (unit, real-data, notebooks, browser)
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

browser:                    ## Debian's Chromium for the real-browser test (installed when run as root)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium not found: install it (Debian: sudo apt-get install chromium) for the browser test."; fi; }

lab: $(STAMP)               ## JupyterLab for exploring (a separate install: it slows rendering)
	$(BIN)/python -m pip install --quiet "jupyterlab>=4.2"
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check src tests bench notebooks
	$(BIN)/mypy

lock:                       ## re-pin requirements.lock from pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) reports/* data/cache data/demo
