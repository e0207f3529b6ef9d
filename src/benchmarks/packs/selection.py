"""Which authorities a pack renders: every current one, regions, named groups, names."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.errors import BenchmarksError

if TYPE_CHECKING:
    import polars as pl

    from benchmarks.panel import Bundle


@dataclass(frozen=True)
class Selection:
    """Which authorities a pack renders (the union of everything named)."""

    every: bool = False
    regions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    las: tuple[str, ...] = ()
    groups_file: Path | None = None


def latest_year(panel: pl.DataFrame) -> int:
    """The latest year in which any authority has a value for a catalogue indicator."""
    import polars as pl

    from benchmarks import indicators

    years = panel.filter(
        pl.col("indicator").is_in(list(indicators.catalogue())) & pl.col("value").is_not_null()
    )["year"]
    if years.len() == 0:
        raise BenchmarksError("the data folder holds no indicator values to report on")
    return int(years.max())  # type: ignore[arg-type]


def covered(bundle: Bundle, year: int) -> pl.DataFrame:
    """Current authorities with at least one value in `year`: `la_code, la_name, region_name`."""
    import polars as pl

    from benchmarks import indicators

    present = bundle.panel.filter(
        (pl.col("year") == year)
        & pl.col("value").is_not_null()
        & pl.col("indicator").is_in(list(indicators.catalogue()))
    )["la_code"].unique()
    return bundle.authorities.filter(
        pl.col("current") & pl.col("la_code").is_in(present.implode())
    ).select("la_code", "la_name", "region_name")


def select_authorities(bundle: Bundle, selection: Selection, year: int) -> list[tuple[str, str]]:
    """(la_code, la_name) of every authority the selection names, sorted by name.

    `every` and `regions` take the current authorities the data cover in `year`; groups
    and `las` take whoever they name. A region, group or authority that does not exist is
    a BenchmarksError with the closest matches.
    """
    import polars as pl

    from benchmarks.geography import resolver

    pool = covered(bundle, year)
    codes: dict[str, None] = {}
    if selection.every:
        codes.update(dict.fromkeys(pool["la_code"].to_list()))
    regions = sorted({r for r in pool["region_name"].to_list() if r})
    by_region = {r.casefold(): r for r in regions}
    for query in selection.regions:
        name = by_region.get(" ".join(query.split()).casefold())
        if name is None:
            close = difflib.get_close_matches(query, regions, n=3, cutoff=0.5)
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            raise BenchmarksError(f"No region {query!r}.{hint} Regions: {', '.join(regions)}")
        codes.update(dict.fromkeys(pool.filter(pl.col("region_name") == name)["la_code"]))
    for query in selection.groups:
        codes.update(dict.fromkeys(group_members(bundle, query, selection.groups_file)))
    resolve = resolver(bundle.authorities)
    for query in selection.las:
        codes[resolve(query)] = None
    if not codes:
        raise BenchmarksError("the selection names no authority")
    names = dict(bundle.authorities.select("la_code", "la_name").iter_rows())
    return sorted(((c, str(names[c])) for c in codes), key=lambda cn: (cn[1].casefold(), cn[0]))


def partnership_groups(bundle: Bundle, groups_file: Path | None) -> dict[str, tuple[str, ...]]:
    """Named groups (partnership file, else the shipped example) -> member codes."""
    from benchmarks.groups import read_partnerships

    return {
        name: p.members for name, p in read_partnerships(groups_file, bundle.authorities).items()
    }


def group_members(bundle: Bundle, name: str, groups_file: Path | None) -> tuple[str, ...]:
    """The member codes of one named group (any case); UnknownGroupError lists the names."""
    from benchmarks.errors import UnknownGroupError
    from benchmarks.groups import BUILTIN_GROUPS

    groups = partnership_groups(bundle, groups_file)
    wanted = " ".join(name.split()).casefold()
    for group, members in groups.items():
        if group.casefold() == wanted:
            return members
    if wanted in BUILTIN_GROUPS:
        raise BenchmarksError(
            f"{name!r} is a comparator group, not a named group of authorities: "
            "use --region, --all or --la, and --comparator for the comparison"
        )
    raise UnknownGroupError(name, list(groups))
