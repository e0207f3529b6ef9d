"""Start-up cost of render processes: jsonschema's IRI grammar, built on first use, and
names a package exports from modules it imports on first use (`lazy_exports`).

`jsonschema` (imported by nbformat in the rendering process and by altair in a report
kernel) imports `rfc3987_syntax` when it is installed -- JupyterLab's set-up installs it,
through `jsonschema[format-nongpl]` -- and that module builds a Lark grammar at import
time: about 1.1 s on a 2-core machine, in each process, for the "iri" and
"iri-reference" format checks. Neither nbformat's notebook schema nor the Vega-Lite schema
altair validates against uses those formats.

`defer_iri_grammar()` imports jsonschema with a stand-in for `rfc3987_syntax` whose one
function jsonschema binds (`is_valid_syntax`) imports the real module on its first call.
So jsonschema's checks are unchanged (an IRI check still runs the real grammar), but a
process that never checks an IRI never builds it. The stand-in is removed from
`sys.modules` straight away: a later `import rfc3987_syntax` gets the real module.

It acts only if jsonschema is not yet imported (else it is too late and harmless) and
rfc3987_syntax is installed. The renderer calls it in its own process and in its kernels
(`benchmarks.render.KERNEL_ARGUMENTS`); nothing else in the package does.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

GRAMMAR_MODULE = "rfc3987_syntax"


def _is_valid_syntax(term: str, value: str) -> Any:
    """rfc3987_syntax.is_valid_syntax, imported (and its grammar built) on the first call."""
    real = importlib.import_module(GRAMMAR_MODULE)
    return real.is_valid_syntax(term, value)


def defer_iri_grammar() -> bool:
    """Import jsonschema without building rfc3987_syntax's grammar; True if it acted."""
    if "jsonschema" in sys.modules or GRAMMAR_MODULE in sys.modules:
        return False
    if importlib.util.find_spec(GRAMMAR_MODULE) is None:
        return False
    stand_in = types.ModuleType(GRAMMAR_MODULE)
    stand_in.is_valid_syntax = _is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[GRAMMAR_MODULE] = stand_in
    try:
        importlib.import_module("jsonschema")
    finally:
        if sys.modules.get(GRAMMAR_MODULE) is stand_in:
            del sys.modules[GRAMMAR_MODULE]
    return True


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A package's module `__getattr__` (PEP 562): each name in `homes` comes from its
    module (`homes[name]`, within `package`), imported on first use, so importing the
    package does not import what only some of its users need."""

    def __getattr__(name: str) -> Any:
        if name in homes:
            return getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
