"""The package's shape: data flows one way, with no cycles, in modules of a readable size.

Every module sits on one floor (`FLOORS`, the table in docs/architecture.md). A module may
import modules on its own floor or below, never above; the whole import graph, counting
imports inside functions and under TYPE_CHECKING, has no cycle; and no module is longer
than `MAX_LINES`. The graph is read from the source with `ast`, so nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "benchmarks"
MAX_LINES = 500

#: Floors, bottom (0) to top, as in docs/architecture.md. A package's name covers its modules.
FLOORS: dict[str, int] = {
    # bottom: contracts, codes, wording, the catalogue, where the data is
    "errors": 0,
    "schema": 0,
    "geography": 0,
    "formatting": 0,
    "indicators": 0,
    "datadir": 0,
    "atomic": 0,
    "display": 0,
    "startup": 0,
    # readers and writers of the published layouts
    "sources": 1,
    "demo": 1,
    # data
    "publishers": 2,
    "fetch": 2,
    "cache": 2,
    "panel": 2,
    # analysis
    "groups": 3,
    "comparators": 3,
    "intervals": 3,
    "comparison": 3,
    "trend": 3,
    "narrative": 3,
    "improvement": 3,
    "alignment": 3,
    "partners": 3,
    "profiles": 3,
    "export": 3,
    # presentation
    "theme": 4,
    "charts": 4,
    "tables": 4,
    "components": 4,
    "pageparts": 4,
    # report kinds
    "reports": 5,
    # running
    "offline": 6,
    "render": 6,
    "lab": 6,
    "packs": 6,
    # top
    "cli": 7,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """The package's modules that `path` imports anywhere in it (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "benchmarks":
                continue
            for alias in node.names:  # `from benchmarks import x`: the submodule x if it is one
                if alias.name == "__version__":
                    continue  # a constant of the package, not its public API
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "benchmarks"}
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: use absolute imports (`from benchmarks... import`)")
    found.discard(module_name(path))
    return {m for m in found if m in MODULES}


GRAPH = {name: imports(path) for name, path in MODULES.items()}


def floor(module: str) -> int:
    """A module's floor; the `benchmarks` package itself is the public API above cli."""
    parts = module.split(".")
    if len(parts) == 1:
        return max(FLOORS.values()) + 1
    return FLOORS[parts[1]]


def test_every_module_has_a_floor() -> None:
    homeless = sorted(m for m in MODULES if m != "benchmarks" and m.split(".")[1] not in FLOORS)
    assert not homeless, f"add these to FLOORS and docs/architecture.md: {homeless}"


def test_no_module_imports_one_above_it() -> None:
    upward = sorted(
        f"{m} (floor {floor(m)}) imports {t} (floor {floor(t)})"
        for m, targets in GRAPH.items()
        for t in targets
        if floor(t) > floor(m)
    )
    assert not upward, "\n".join(upward)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle() -> None:
    # The package root only re-exports the public functions, importing them on first use.
    below_the_api = {m: t - {"benchmarks"} for m, t in GRAPH.items() if m != "benchmarks"}
    assert find_cycle(below_the_api) is None, " -> ".join(find_cycle(below_the_api) or [])


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"a"}}, ["a", "a"]),
        ({"a": {"b"}, "b": set(), "x": {"y"}, "y": {"x"}}, ["x", "y", "x"]),
    ],
)
def test_find_cycle_finds_a_cycle_when_there_is_one(
    graph: dict[str, set[str]], expected: list[str] | None
) -> None:
    assert find_cycle(graph) == expected


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these (more than {MAX_LINES} lines): {long}"
