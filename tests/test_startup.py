"""The render path does not build jsonschema's IRI grammar, and jsonschema's checks are unchanged."""

from __future__ import annotations

import subprocess
import sys

from benchmarks import render

# rfc3987_syntax comes with JupyterLab (requirements.lock); without it these tests fail.


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_renderer_process_imports_jsonschema_without_the_grammar() -> None:
    # What a rendering process imports: nbformat (through papermill) and nbconvert.
    out = _run(
        "import sys\n"
        "from benchmarks import startup\n"
        "assert startup.defer_iri_grammar()\n"
        "import papermill, nbconvert, nbformat\n"
        "print('rfc3987_syntax' in sys.modules, 'jsonschema' in sys.modules)"
    )
    assert out == "False True"


def test_the_kernel_imports_the_report_library_without_the_grammar() -> None:
    # The kernel's start-up line, as the renderer passes it to ipykernel.
    (line,) = [a.split("=", 1)[1] for a in render.KERNEL_ARGUMENTS if "exec_lines" in a]
    out = _run(
        f"import sys\n{line}\n"
        "print('rfc3987_syntax' in sys.modules, 'benchmarks.reports.page' in sys.modules, "
        "'altair' in sys.modules)"
    )
    assert out == "False True False"


def test_iri_checks_still_run_the_real_grammar() -> None:
    # A space is not allowed in an IRI; a non-ASCII letter is (RFC 3987).
    out = _run(
        "import sys\n"
        "from benchmarks import startup\n"
        "startup.defer_iri_grammar()\n"
        "import jsonschema\n"
        "check = jsonschema.Draft7Validator.FORMAT_CHECKER\n"
        "before = 'rfc3987_syntax' in sys.modules\n"
        "print(before, check.conforms('http://example.com/a b', 'iri'),"
        " check.conforms('http://example.com/\\u00e4', 'iri'),"
        " check.conforms('/a b', 'iri-reference'), 'rfc3987_syntax' in sys.modules)"
    )
    assert out == "False False True False True"


def test_it_does_nothing_once_jsonschema_is_imported() -> None:
    out = _run(
        "import jsonschema\nfrom benchmarks import startup\nprint(startup.defer_iri_grammar())"
    )
    assert out == "False"


def test_packages_import_their_altair_builders_and_report_kinds_on_first_use() -> None:
    out = _run(
        "import sys\n"
        "import benchmarks.charts as charts, benchmarks.reports as reports\n"
        "before = 'altair' in sys.modules, 'benchmarks.reports.partnership_notebook' in sys.modules\n"
        "from benchmarks.reports import partnership_page\n"
        "print(before, charts.trend_chart.__module__, partnership_page.__module__, "
        "callable(partnership_page), 'altair' in sys.modules)\n"
        "try:\n"
        "    charts.no_such_chart\n"
        "except AttributeError as exc:\n"
        "    print(exc)"
    )
    assert out.splitlines() == [
        "(False, False) benchmarks.charts.trend benchmarks.reports.partnership_notebook True True",
        "module 'benchmarks.charts' has no attribute 'no_such_chart'",
    ]
